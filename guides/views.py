from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guides import matching, selectors, sending, services
from guides.access import guide_required
from guides.forms import (
    REPORT_ANCHOR,
    TIMES_OF_DAY,
    CallerForm,
    CallerListFilter,
    DangerHandledForm,
    NewCallerForm,
    ReferralForm,
    ReportBack,
    ReportBackForm,
    SendListForm,
)
from guides.models import AuditEntry, Caller, Referral
from intake import display as screening_display
from intake import engine
from intake.rules import FOCUS_FILTER, MULTIPLE_CHOICE, QUESTIONS
from programs import display
from programs.selectors import published_programs

LIST_LIMIT = 200
# The dashboard also shows follow-ups coming up in the next two weeks.
FOLLOW_UP_AHEAD_DAYS = 14

# Asked on the intake form already; the screening takes them from the caller record.
FROM_RECORD = {"payment", "zip"}

# What the call page says after an action (?done=…), in the section acted on: that
# section's id ("referral": the card of ?referral=<id>), the message, whether it is an error.
DONE = {
    "created": ("screening", gettext_lazy("Saved. Consent recorded."), False),
    "needs": ("needs", gettext_lazy("Needs saved. The matches follow them."), False),
    "screening": (
        "screening",
        gettext_lazy("Screening saved. Matches now follow its level of care."),
        False,
    ),
    "danger": (
        "screening",
        gettext_lazy(
            "Recorded how the danger was handled. Before going on, ask again: "
            "are they in danger now?"
        ),
        False,
    ),
    "shortlisted": ("referral", gettext_lazy("Added to the shortlist."), False),
    "already": ("referral", gettext_lazy("Already on the shortlist."), False),
    "referral": ("referral", gettext_lazy("Referral updated."), False),
    "gone": ("matches", gettext_lazy("That program is no longer listed. Choose another."), True),
}


def _caller_or_404(pk: int) -> Caller:
    try:
        return selectors.caller_for_call(pk=pk)
    except Caller.DoesNotExist as missing:
        raise Http404 from missing


@guide_required
@require_GET
def dashboard(request):
    today = timezone.localdate()
    follow_ups = selectors.follow_ups_due(
        today=today, guide=request.user, until=today + timedelta(days=FOLLOW_UP_AHEAD_DAYS)
    )
    recent_callers = selectors.callers_for_list(
        guide=request.user,
        mine=True,
        open_referrals=False,
        follow_up_due=False,
        today=today,
        limit=10,
    )
    services.audit_listed(
        actor=request.user,
        callers=recent_callers + [referral.caller for referral in follow_ups],
    )
    return render(
        request,
        "guides/dashboard.html",
        {
            "today": today,
            "follow_ups_due": [r for r in follow_ups if r.follow_up_on <= today],
            "follow_ups_ahead": [r for r in follow_ups if r.follow_up_on > today],
            "ahead_days": FOLLOW_UP_AHEAD_DAYS,
            "team_due_count": selectors.follow_ups_due_count(today=today),
            "recent_callers": recent_callers,
        },
    )


@guide_required
@require_http_methods(["GET", "POST"])
def caller_list(request):
    """The team's callers. Finding one by alias or phone is a POST: neither lands in an
    address, a browser's history or an access log."""
    data = request.POST if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        data.pop("q", None)
    filters = CallerListFilter(data)
    filters.is_valid()
    callers = selectors.callers_for_list(
        guide=request.user,
        today=timezone.localdate(),
        text=filters.cleaned_data.get("q", ""),
        limit=LIST_LIMIT,
        **{name: filters.cleaned_data.get(name, False) for name in CallerListFilter.CHECKS},
    )
    services.audit_listed(actor=request.user, callers=callers)
    return render(
        request,
        "guides/caller_list.html",
        {"filters": filters, "callers": callers, "limit": LIST_LIMIT},
    )


@guide_required
@require_http_methods(["GET", "POST"])
def caller_new(request):
    if request.POST.get("action") == "preview":
        return _matches_without_saving(request)
    form = NewCallerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        details = dict(form.cleaned_data)
        caller = services.create_caller(
            guide=request.user,
            consent_given=details.pop("consent"),
            details=details,
            payment_kinds=details.pop("payment_kinds"),
        )
        # No anchor: the page opens at its top, the focus on the danger question.
        return _back_to_call(caller.pk, "created", "")
    return render(request, "guides/caller_new.html", {"form": form})


def _matches_without_saving(request):
    """Matches from the needs as typed, for a caller who has not agreed (or not yet) to us
    keeping their details: nothing is stored, so nothing is audited either."""
    form = NewCallerForm(request.POST)
    needs_form = CallerForm(request.POST)
    if not needs_form.is_valid():
        form.is_valid()
        for name in ("consent", "__all__"):  # consent is not asked for when nothing is kept
            form.errors.pop(name, None)
        return render(request, "guides/caller_new.html", {"form": form}, status=400)
    needs = matching.Needs.of_details(needs_form.cleaned_data)
    return render(
        request,
        "guides/caller_new.html",
        {
            "form": NewCallerForm(initial=_initial(request.POST)),
            "needs": needs,
            "facilities": matching.best_facilities(needs, today=timezone.localdate()),
            "preview": True,
        },
    )


def _initial(data) -> dict:
    """Posted values back into an unbound form (no errors shown, consent not ticked)."""
    multiple = {"payment_kinds", "times_of_day"}
    return {
        name: data.getlist(name) if name in multiple else data.get(name)
        for name in CallerForm.Meta.fields
        if name in data
    }


def _back_to_call(pk: int, done: str, anchor: str, **params) -> HttpResponseRedirect:
    """Back to the call page, landing on the section acted on with its message."""
    query = urlencode({"done": done, **params})
    fragment = f"#{anchor}" if anchor else ""
    return redirect(f"{reverse('guides:call', kwargs={'pk': pk})}?{query}{fragment}")


def _done(request) -> dict | None:
    code = request.GET.get("done", "")
    if code not in DONE:
        return None
    section, text, error = DONE[code]
    referral = request.GET.get("referral", "")
    return {
        "section": section,
        "referral": int(referral) if referral.isdigit() else None,
        "text": text,
        "error": error,
    }


def _screening_fields(answers: dict, errors: dict) -> list[dict]:
    return [
        screening_display.field(question, answers, errors)
        for question in QUESTIONS
        if question.key not in FROM_RECORD
    ]


# What the intake form already asked, carried into the screening (the guide confirms it
# with the caller before saving): the record's focus and weekly hours.
FOCUS_AS_ANSWER = {focus: answer for answer, focus in FOCUS_FILTER.items()}
HOURS_AS_ANSWER = [(3, "under_3"), (9, "3_to_8"), (20, "9_to_19")]  # (below, answer)


def _answers_from_record(caller) -> dict:
    answers = {}
    if caller.focus in FOCUS_AS_ANSWER:
        answers["focus"] = FOCUS_AS_ANSWER[caller.focus]
    if caller.hours_per_week_max is not None:
        answers["hours_available"] = next(
            (answer for below, answer in HOURS_AS_ANSWER if caller.hours_per_week_max < below),
            "20_plus",
        )
    return answers


def _call_page(
    request,
    caller,
    *,
    caller_form=None,
    screening=None,
    referral_forms=None,
    report_back=None,
    send_form=None,
    danger_form=None,
    crisis_now=False,
):
    """The one screen for a call: the danger question first, then screening, matches,
    needs, shortlist and referrals.
    `report_back`: a rejected "What did the program say?" form, shown where it was sent.
    `send_form`: a rejected "Send the caller their list" form.
    `crisis_now`: the caller is in danger now: the crisis script and how it was handled
    (`danger_form`), and nothing else of the call."""
    if crisis_now:
        services.audit(actor=request.user, action=AuditEntry.Action.VIEW, caller_id=caller.pk)
        return render(
            request,
            "guides/call.html",
            {
                "caller": caller,
                "crisis_now": True,
                "danger_form": danger_form or DangerHandledForm(),
            },
            status=400 if danger_form else 200,
        )
    today = timezone.localdate()
    needs = matching.Needs.of_caller(caller)
    referrals = list(caller.referrals.all())
    for referral in referrals:
        referral.program.intake_phone = display.intake_phone(referral.program)
    shortlisted = {referral.program_id for referral in referrals}
    referral_forms = referral_forms or {}
    # Danger now is asked afresh on every call: never taken from an earlier screening.
    screening = screening or {
        "answers": {
            key: value
            for key, value in (caller.screening_answers or _answers_from_record(caller)).items()
            if key != "danger_now"
        },
        "errors": {},
    }
    done = _done(request) if request.method == "GET" else None
    fields = _screening_fields(screening["answers"], screening["errors"])
    services.audit(actor=request.user, action=AuditEntry.Action.VIEW, caller_id=caller.pk)
    return render(
        request,
        "guides/call.html",
        {
            "caller": caller,
            "caller_form": caller_form or CallerForm(instance=caller),
            "danger_field": next(field for field in fields if field["key"] == "danger_now"),
            "screening_fields": [field for field in fields if field["key"] != "danger_now"],
            "screening_errors": screening["errors"],
            "result": caller.screening_result,
            "escalation": screening_display.ESCALATIONS.get(
                (caller.screening_result or {}).get("escalation")
            ),
            "needs": needs,
            "facilities": matching.best_facilities(needs, today=today),
            "shortlisted": shortlisted,
            "referrals": [
                (
                    referral,
                    referral_forms.get(referral.pk)
                    or ReferralForm(instance=referral, prefix=f"referral-{referral.pk}"),
                )
                for referral in referrals
            ],
            "today": today,
            "done": done,
            # A call opens on the danger question (also just after its record is made).
            "open_on_danger": request.method == "GET"
            and request.GET.get("done", "created") == "created",
            "danger_form": DangerHandledForm(),
            "times_of_day": [
                label for slug, label in TIMES_OF_DAY if slug in (caller.times_of_day or [])
            ],
            "report_back_rejected": report_back,
            # The match or referral whose program a guide just reported on (its anchor).
            "reported": request.GET.get("reported", ""),
            "send_list_text": sending.list_text(caller, site_url=request.build_absolute_uri("/")),
            "send_forms": {
                channel: send_form
                if send_form and send_form.channel == channel
                else SendListForm(channel=channel)
                for channel in sending.CHANNELS
            },
            "sent_by": request.GET.get("sent", ""),
        },
        status=400
        if caller_form or screening["errors"] or referral_forms or report_back or send_form
        else 200,
    )


@guide_required
@require_GET
def call(request, pk):
    return _call_page(request, _caller_or_404(pk))


@guide_required
@require_POST
def caller_update(request, pk):
    caller = _caller_or_404(pk)
    form = CallerForm(request.POST, instance=caller)
    if form.saved_since_loaded():
        # A colleague saved this record after the form was loaded: saving now would undo
        # their changes unseen. Show what differs; a second save (now up to date) goes in.
        data = request.POST.copy()
        data["loaded_at"] = caller.updated_at.isoformat()
        form = CallerForm(data, instance=caller)
        form.is_valid()
        differs = ", ".join(str(form.fields[name].label) for name in form.changed_answers())
        form.add_error(
            None,
            _(
                "Another guide saved this record while you had it open. These answers differ "
                "from what is saved now: %(fields)s. Check them with the caller, then save again."
            )
            % {"fields": differs or _("none")},
        )
        return _call_page(request, caller, caller_form=form)
    if not form.is_valid():
        return _call_page(request, caller, caller_form=form)
    details = dict(form.cleaned_data)
    services.update_caller(
        guide=request.user,
        caller=caller,
        details=details,
        changed=form.changed_answers(),
        payment_kinds=details.pop("payment_kinds"),
    )
    return _back_to_call(caller.pk, "needs", "needs")


@guide_required
@require_POST
def caller_screen(request, pk):
    caller = _caller_or_404(pk)
    answers = {}
    for question in QUESTIONS:
        if question.key in FROM_RECORD:
            continue
        if question.kind == MULTIPLE_CHOICE:
            answers[question.key] = request.POST.getlist(question.key)
        elif request.POST.get(question.key):
            answers[question.key] = request.POST[question.key]
    clean, errors = engine.validate(
        {
            **answers,
            "payment": [kind.slug for kind in caller.payment_kinds.all()],
            "zip": caller.zip_code,
        }
    )
    if answers.get("danger_now") == "yes":
        # Danger now stops the screening at once, whatever else was answered: the crisis
        # script, and nothing is saved but how the guide dealt with it (caller_danger).
        return _call_page(request, caller, crisis_now=True)
    if request.POST.get("action") == "danger":
        # Without scripts, "Continue" under the danger question: "No" goes on with the rest.
        danger = {key: value for key, value in errors.items() if key == "danger_now"}
        return _call_page(request, caller, screening={"answers": answers, "errors": danger})
    if errors:
        return _call_page(request, caller, screening={"answers": answers, "errors": errors})
    result = engine.recommend(clean)
    services.record_screening(
        guide=request.user,
        caller=caller,
        answers={
            key: list(value) if isinstance(value, tuple) else value for key, value in clean.items()
        },
        result=screening_display.result_json(result),
    )
    return _back_to_call(caller.pk, "screening", "screening")


@guide_required
@require_POST
def caller_danger(request, pk):
    """How the guide dealt with a caller in danger now: recorded in the audit log (the way
    it was handled, nothing the caller said); then the call can go on."""
    caller = _caller_or_404(pk)
    form = DangerHandledForm(request.POST)
    if not form.is_valid():
        return _call_page(request, caller, danger_form=form, crisis_now=True)
    services.record_danger_handled(
        guide=request.user, caller=caller, handled=form.cleaned_data["handled"]
    )
    return _back_to_call(caller.pk, "danger", "screening")


@guide_required
@require_POST
def shortlist_add(request, pk):
    caller = _caller_or_404(pk)
    try:
        program = published_programs().get(pk=request.POST.get("program"))
    except (published_programs().model.DoesNotExist, ValueError, TypeError):
        return _back_to_call(caller.pk, "gone", "matches")
    referral, created = services.add_to_shortlist(
        guide=request.user, caller=caller, program=program
    )
    return _back_to_call(
        caller.pk,
        "shortlisted" if created else "already",
        f"referral-{referral.pk}",
        referral=referral.pk,
    )


@guide_required
@require_POST
def report_back(request, pk):
    """What a program told the guide on this call, from one of its matches or referrals:
    the listing's availability changes at once, schedule and cost changes go to curators.
    It concerns the program: the caller's record is not opened (nor audited) unless the
    form is shown again with its errors."""
    if not selectors.caller_exists(pk=pk):
        raise Http404
    try:
        program = published_programs().get(pk=request.POST.get("program"))
    except (published_programs().model.DoesNotExist, ValueError, TypeError):
        return _back_to_call(pk, "gone", "matches")
    anchor = request.POST.get("anchor", "")
    if not REPORT_ANCHOR.fullmatch(anchor):
        anchor = f"match-{program.pk}"
    form = ReportBackForm(request.POST, prefix=anchor)
    if not form.is_valid():
        return _call_page(request, _caller_or_404(pk), report_back=ReportBack(anchor, form))
    services.report_back(guide=request.user, program=program, **form.cleaned_data)
    call_page = reverse("guides:call", kwargs={"pk": pk})
    return redirect(f"{call_page}?reported={anchor}#{anchor}")


@guide_required
@require_POST
def send_list(request, pk):
    caller = _caller_or_404(pk)
    channel = request.POST.get("channel")
    if channel not in sending.CHANNELS:
        raise Http404
    form = SendListForm(request.POST, channel=channel)
    if not form.is_valid():
        return _call_page(request, caller, send_form=form)
    try:
        sending.send_list(
            guide=request.user,
            caller=caller,
            channel=channel,
            consent_given=form.cleaned_data["consent"],
            email=form.cleaned_data.get("email", ""),
            site_url=request.build_absolute_uri("/"),
        )
    except OSError:
        form.add_error(None, _("The email could not be sent. Try again in a few minutes."))
        return _call_page(request, caller, send_form=form)
    call_page = reverse("guides:call", kwargs={"pk": pk})
    return redirect(f"{call_page}?sent={channel}#send-list")


@guide_required
@require_POST
def referral_update(request, pk, referral_pk):
    try:
        referral = selectors.referral_of_caller(caller_pk=pk, pk=referral_pk)
    except Referral.DoesNotExist as missing:
        raise Http404 from missing
    form = ReferralForm(request.POST, instance=referral, prefix=f"referral-{referral.pk}")
    if not form.is_valid():
        return _call_page(request, _caller_or_404(pk), referral_forms={referral.pk: form})
    services.update_referral(
        guide=request.user,
        referral=referral,
        status=form.cleaned_data["status"],
        follow_up_on=form.cleaned_data["follow_up_on"],
        note=form.cleaned_data["note"],
    )
    return _back_to_call(pk, "referral", f"referral-{referral.pk}", referral=referral.pk)


@guide_required
@require_GET
def caller_export(request, pk):
    data = services.export_caller(guide=request.user, caller=_caller_or_404(pk))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="caller-{pk}.json"'
    return response


@guide_required
@require_http_methods(["GET", "POST"])
def caller_erase(request, pk):
    caller = _caller_or_404(pk)
    if request.method == "POST":
        services.erase_caller(guide=request.user, caller=caller)
        messages.success(request, _("The caller's details were erased."))
        return redirect("guides:callers")
    services.audit(actor=request.user, action=AuditEntry.Action.VIEW, caller_id=caller.pk)
    return render(request, "guides/caller_erase.html", {"caller": caller})
