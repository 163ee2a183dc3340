"""The JSON API: the same search as /programs/ (selectors.program_search), as plain JSON.

/api/programs/ lists, /api/programs/<id>/ gives one published program, /api/schema/ the
OpenAPI description (programs/openapi.py).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _

from iopfinder import api_errors
from programs import display, meeting_times, openapi, search_page, selectors, vocabulary
from programs.models import Program

RESULTS_PER_PAGE = 20
PAGE = forms.IntegerField(min_value=1, required=False)  # past the last page: the last


def _number(value):
    return None if value is None else float(value)


def _range(low, high) -> dict:
    return {"min": _number(low), "max": _number(high)}


def _clock(value) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _slugs(related) -> list[str]:
    return [term.slug for term in related.all()]


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def _availability(program: Program) -> dict:
    """Whether it takes new clients, as of when and from whom: all null when not known or
    older than AVAILABILITY_STALE_DAYS (Program.availability, as on its page)."""
    fresh = program.availability()
    return {
        "accepting_new_clients": fresh["accepting_new_clients"],
        "next_intake": _day(fresh["next_intake"]),
        "wait_days": fresh["wait_days"],
        "as_of": _day(fresh["as_of"]),
        "source": fresh["source"] or None,
    }


def program_summary(program: Program, request, words=None, url_format=None) -> dict:
    """The fields of one search result (words and url_format: looked up once a page)."""
    words = words or display.phrases()
    url_format = url_format or search_page.detail_url_format(request)
    distance = getattr(program, "distance", None)
    availability = _availability(program)
    return {
        "id": program.pk,
        "name": program.name,
        "provider": {"id": program.provider_id, "name": program.provider.name},
        "level_of_care": program.level_of_care,
        "focus": program.focus,
        "format": program.format,
        "schedule": {
            "days_per_week": _range(program.days_per_week_min, program.days_per_week_max),
            "hours_per_day": _range(program.hours_per_day_min, program.hours_per_day_max),
            "hours_per_week": _range(program.hours_per_week_min, program.hours_per_week_max),
            "length_weeks": _range(program.length_weeks_min, program.length_weeks_max),
            "times_of_day": [
                time
                for time, offered in [
                    ("morning", program.offers_morning),
                    ("afternoon", program.offers_afternoon),
                    ("evening", program.offers_evening),
                    ("weekend", program.offers_weekend),
                ]
                if offered
            ],
            "known": program.schedule_known,
            "text": display.schedule_line(program, words),
        },
        "cost": {
            "per_session": _range(program.cost_per_session_min, program.cost_per_session_max),
            "total": _range(program.total_cost_min, program.total_cost_max),
            "known": program.cost_known,
            "text": display.cost_line(program, words),
        },
        "payment": program.payment_slugs,
        # Only while fresh, like `availability`: the API never claims a stale "accepting".
        "accepting_new_clients": availability["accepting_new_clients"],
        "availability": availability,
        "city": program.site.city,
        "state": program.site.state,
        "zip_code": program.site.zip_code,
        "latitude": program.site.latitude,
        "longitude": program.site.longitude,
        "distance_miles": None if distance is None else round(distance, 1),
        # True: the site is placed at its ZIP code's centre (SAMHSA gives no coordinates), so
        # its distance is approximate.
        "placed_at_zip_centre": program.site.placed_at_zip,
        "reach": getattr(program, "reach", None),
        "is_sample": program.is_sample,
        "last_verified": program.last_verified_on.isoformat() if program.last_verified_on else None,
        "url": url_format.format(program.pk),
    }


def program_full(program: Program, request) -> dict:
    """Everything a published program's page shows."""
    summary = program_summary(program, request)
    return {
        **summary,
        "description": program.description,
        "description_es": program.description_es,
        "provider": {
            "id": program.provider_id,
            "name": program.provider.name,
            "website": program.provider.website,
            "phone": program.provider.phone,
        },
        "site": {
            "name": program.site.name,
            "address": program.site.address,
            "city": program.site.city,
            "state": program.site.state,
            "zip_code": program.site.zip_code,
            "latitude": program.site.latitude,
            "longitude": program.site.longitude,
        },
        "tracks": [
            {
                "name": track.name,
                "time_of_day": meeting_times.time_of_day(track),
                "weekend": meeting_times.on_weekend(track),
                "weekdays": meeting_times.in_week_order(track.weekdays),
                "starts_at": _clock(track.starts_at),
                "ends_at": _clock(track.ends_at),
                "days_per_week": _range(track.days_per_week_min, track.days_per_week_max),
                "hours_per_day": _range(track.hours_per_day_min, track.hours_per_day_max),
                "length_weeks": _range(track.length_weeks_min, track.length_weeks_max),
            }
            for track in program.tracks.all()
        ],
        "cost_notes": program.cost_notes,
        "cost_notes_es": program.cost_notes_es,
        "intake_process": program.intake_process or None,
        "intake_notes": program.intake_notes,
        "intake_notes_es": program.intake_notes_es,
        "insurers": _slugs(program.insurers),
        "services": _slugs(program.services),
        "populations": _slugs(program.populations),
        "languages": _slugs(program.languages),
        "accreditations": _slugs(program.accreditations),
        "directory_facts": {
            name: (program.directory_facts or {}).get(name, [])
            for name in vocabulary.DIRECTORY_FACTS
        },
        "wait_time_days": summary["availability"]["wait_days"],
        "license_number": program.license_number,
        "phone": program.phone,
        "website": program.website,
    }


def _page_url(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@api_errors.allow("GET", "HEAD")
def program_list(request):
    result = selectors.program_search(params=request.GET)
    errors = result.errors
    try:
        # Stricter than the page, which shows the first page for a bad number.
        number = PAGE.clean(request.GET.get("page"))
    except ValidationError as error:
        errors["page"] = error.messages
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    page = result.paginate(number, RESULTS_PER_PAGE)
    words, url_format = display.phrases(), search_page.detail_url_format(request)
    return JsonResponse(
        {
            "count": result.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number())
            if page.has_previous()
            else None,
            "results": [program_summary(program, request, words, url_format) for program in page],
        }
    )


@api_errors.allow("GET", "HEAD")
def program_detail(request, pk):
    try:
        program = selectors.public_program_detail(pk=pk)
    except Program.DoesNotExist:
        return JsonResponse(
            {"errors": {"id": [_("No published program has this id.")]}}, status=404
        )
    return JsonResponse(program_full(program, request))


@api_errors.allow("GET", "HEAD")
def schema(request):
    return JsonResponse(openapi.schema(server_url=request.build_absolute_uri("/")))
