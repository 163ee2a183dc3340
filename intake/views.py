import json
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from intake import display, engine, steps
from intake.rules import QUESTIONS
from iopfinder import api_errors

# Every screening response is private to the person: never cached (Cache-Control: no-store),
# and error reports (the debug page, any error reporter) hide the answers.


def _referrer_origin_only(view):
    """Pages of the screen tell the next request only the site's origin, never /screening/.

    Leaving the screen with a Referer naming it would tell every log and proxy on the way
    that this address just took the screen. "no-referrer" would hide even the origin, but
    browsers then send "Origin: null" with a page's form posts, which Django's CSRF check
    refuses: the footer's language switch would answer 403 on every step. The links that
    leave the screen for the search also carry rel="noreferrer" (no Referer at all).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = "strict-origin"
        return response

    return wrapped


@_referrer_origin_only
@sensitive_post_parameters()
@sensitive_variables()
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def screening(request):
    """The patient's self-screen, one short step per POST; the answers ride in hidden fields.

    Nothing is written: no session, no database row, no log line with the answers. So no
    CSRF check either: with cookies blocked, "danger now: yes" must still reach the crisis
    panel, never a refusal page.
    """
    if request.method == "GET":
        return _step(request, steps.FIRST, {}, {})
    answers = steps.answers_from(request.POST)
    step = steps.by_name(request.POST.get("step"))
    action = request.POST.get("action")
    if action == "back":
        return _step(request, steps.preceding(step, answers), answers, {})
    if action == "change":
        return _step(request, step, answers, {})
    errors = steps.errors_for(step, answers)
    if errors:
        return _step(request, step, answers, errors)
    if answers.get("danger_now") == "yes":
        return render(request, "intake/crisis.html")
    following = steps.following(step, answers)
    if following:
        return _step(request, following, answers, {})
    clean, errors = engine.validate(answers)
    if errors:  # a hidden answer went missing or was altered: ask that step again
        return _step(request, steps.first_step_with(errors, answers), answers, errors)
    context = display.result_page(engine.recommend(clean))
    context["carried"] = steps.carried(answers)
    context["last_step"] = steps.STEPS[-1].name
    return render(request, "intake/result.html", context)


def _step(request, step, answers, errors):
    applicable = steps.applicable(answers)
    if step not in applicable:  # only an altered form names a step that does not apply
        step = steps.FIRST
    fields = [
        display.field(question, answers, errors)
        for question in step.questions
        if engine.is_asked(question, answers)
    ]
    context = {
        "step": step,
        "number": applicable.index(step) + 1,
        "total": len(applicable),
        "fields": fields,
        "has_errors": any(field["errors"] for field in fields),
        "carried": steps.carried(answers, shown=step),
    }
    return render(request, "intake/step.html", context)


@never_cache
@api_errors.allow("GET", "HEAD")
def api_questions(request):
    """GET /api/screening/questions: every question with its wording and choices."""
    return JsonResponse({"questions": [display.question(question) for question in QUESTIONS]})


# CSRF-exempt (api_errors.allow) on purpose: the endpoint is anonymous, reads no cookie or
# session, and writes nothing, so a forged cross-site request can do no more than any caller
# already can.
@sensitive_variables()
@never_cache
@api_errors.allow("POST")
def api_screening(request):
    """POST /api/screening/ with a JSON object of answers (../shared/screening.md).

    200: {"level", "escalation", "reasons": [{"code", "text", "source"}], "notes", "search_url",
    "escalation_search_url"}. escalation_search_url is null unless the escalation is "detox"
    or "inpatient" (hospital care); then it is the search for places giving that care (for
    "inpatient", hospitals and residential programs), near the ZIP when one was given.
    400: {"errors": {"<key>": ["..."]}} for a missing, unknown or invalid answer; a body that
    is not JSON or not a JSON object is reported under the key "__all__" (Django's key for
    errors that belong to no single field). Every required answer is needed even when
    danger_now is "yes", because the contract always returns a level; a client should show
    the crisis resources as soon as danger_now is "yes", as the patient's form does.
    """
    try:
        answers = json.loads(request.body)
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE: still the contract's shape
        return JsonResponse({"errors": {"__all__": [str(display.TOO_LARGE)]}}, status=400)
    except (ValueError, RecursionError):  # ValueError covers bad JSON and bad encodings
        answers = None
    if not isinstance(answers, dict):
        return JsonResponse({"errors": {"__all__": [str(display.NOT_A_JSON_OBJECT)]}}, status=400)
    clean, errors = engine.validate(answers)
    if errors:
        return JsonResponse({"errors": display.errors(errors)}, status=400)
    return JsonResponse(display.result_json(engine.recommend(clean)))
