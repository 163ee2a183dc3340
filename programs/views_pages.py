"""The program page, the shortlist and compare: reads in selectors_pages, writes in services."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs import display, places, selectors_pages, services, sharing, shortlist
from programs.models import Program

COMPARE_LIMIT = 4


def published_or_404(pk: int) -> Program:
    try:
        return selectors_pages.program_page(pk=pk)
    except Program.DoesNotExist as missing:
        raise Http404 from missing


def _place_of(value) -> tuple[str, places.Place | None]:
    """A ZIP code as given (stripped), and its place (None unless it is one)."""
    near = (value or "").strip()
    return near, places.place_of_zip(near) if near else None


def _near(value) -> tuple[str, places.Place | None]:
    """A ZIP code passed along from a search, and its place; ("", None) unless it is valid."""
    near, place = _place_of(value)
    return (near if place else ""), place


def program_page(request, program, *, status=200, **extra_context):
    """The program page. Another app's view that takes a form posted from it (corrections'
    report) shows the page again with that form in extra_context."""
    near, place = _near(request.GET.get("near"))
    selectors_pages.with_distances([program], near=place)
    page_url = request.build_absolute_uri(reverse("programs:detail", args=[program.pk]))
    context = {
        "near": near,
        "program": program,
        "phone": display.intake_phone(program),
        "website": program.website or program.provider.website,
        "directions_url": sharing.directions_url(program),
        "message": sharing.program_message(program, url=page_url),
        "times_of_day": display.times_of_day(program),
        "directory_facts": display.directory_facts(program),
        "opioid_medications": display.opioid_medications(program),
        "payment_slugs": {kind.slug for kind in program.payment_kinds.all()},
        "in_shortlist": program.pk in shortlist.program_ids(request.session),
        **extra_context,
    }
    return render(request, "programs/program_detail.html", context, status=status)


@require_GET
def program_detail(request, pk):
    program = published_or_404(pk)
    services.note_page_view(program_id=program.pk)
    return program_page(request, program)


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if safe else fallback)


def _posted_program_id(request) -> int | None:
    ids = shortlist.parse_ids([request.POST.get("program", "")], limit=1)
    return ids[0] if ids else None


@require_POST
def shortlist_add(request):
    program_id = _posted_program_id(request)
    programs = selectors_pages.programs_in_order(ids=[program_id] if program_id else [])
    if not programs:
        messages.error(request, _("That program is not listed any more."))
        return _back(request, reverse("programs:shortlist"))
    program = programs[0]
    near, _place = _near(request.POST.get("near"))
    if near:
        shortlist.remember_place(request.session, near)
    if shortlist.add(request.session, program.pk):
        messages.success(request, _("%(name)s is on your shortlist.") % {"name": program.name})
    else:
        messages.error(
            request,
            _("Your shortlist is full (%(limit)d programs). Remove one before adding another.")
            % {"limit": shortlist.LIMIT},
        )
    return _back(request, reverse("programs:detail", args=[program.pk]))


@require_POST
def shortlist_remove(request):
    program_id = _posted_program_id(request)
    if program_id is not None:
        shortlist.remove(request.session, program_id)
        messages.success(request, _("Removed from your shortlist."))
    return _back(request, reverse("programs:shortlist"))


@require_GET
def shortlist_page(request):
    shared_ids = request.GET.get("ids")
    if shared_ids is not None:
        ids = shortlist.parse_ids([shared_ids], limit=shortlist.LIMIT)
        programs = selectors_pages.programs_in_order(ids=ids)
    else:
        programs = selectors_pages.programs_in_order(ids=shortlist.program_ids(request.session))
        shortlist.keep_only(request.session, [program.pk for program in programs])
    share_query = ",".join(str(program.pk) for program in programs)
    share_url = request.build_absolute_uri(f"{reverse('programs:shortlist')}?ids={share_query}")
    pages = [
        (program, request.build_absolute_uri(reverse("programs:detail", args=[program.pk])))
        for program in programs
    ]
    context = {
        "programs": programs,
        "shared": shared_ids is not None,
        "shortlist_limit": shortlist.LIMIT,
        "message": sharing.shortlist_message(pages, url=share_url),
        "near": "" if shared_ids is not None else shortlist.place(request.session),
    }
    return render(request, "programs/shortlist.html", context)


@require_GET
def compare(request):
    ids = shortlist.parse_ids(request.GET.getlist("ids"), limit=COMPARE_LIMIT + 1)
    too_many = len(ids) > COMPARE_LIMIT
    programs = selectors_pages.programs_in_order(ids=ids[:COMPARE_LIMIT], for_compare=True)
    near, place = _place_of(request.GET.get("near"))
    selectors_pages.with_distances(programs, near=place)
    for program in programs:
        program.times_of_day = display.times_of_day(program)
        program.intake_phone = display.intake_phone(program)
    context = {
        "programs": programs,
        "too_many": too_many,
        "compare_limit": COMPARE_LIMIT,
        "near": near,
        "near_error": (
            _("%(zip)s is not a US ZIP code. Enter 5 digits, like 94103.") % {"zip": near}
            if near and place is None
            else ""
        ),
        "show_distance": place is not None,
    }
    return render(request, "programs/compare.html", context)
