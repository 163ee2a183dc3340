"""The curators' one queue: what to check first, ordered by what helps patients most.

Each part is plain data (QUEUE, in order) and one read. The listings people open most come
first within a part (programs.models.PageViews, the last POPULAR_DAYS days).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corrections.models import CorrectionReport, ListingUpdate
from programs.models import Program

POPULAR_DAYS = 30
SHOWN = 20  # items shown in each part; the count says how many there are


@dataclass
class Item:
    label: str
    url: str
    note: str = ""


@dataclass
class Part:
    key: str
    title: str
    why: str
    count: int
    items: list[Item]


def _by_views(programs: QuerySet[Program], today: date) -> QuerySet[Program]:
    since = today - timedelta(days=POPULAR_DAYS)
    return programs.annotate(
        recent_views=Sum("page_views__views", filter=Q(page_views__day__gte=since), default=0)
    ).order_by("-recent_views", "last_verified_on", "name", "pk")


def _program_items(programs, note) -> list[Item]:
    return [
        Item(
            f"{program.name} · {program.get_level_of_care_display()} · "
            f"{program.site.city}, {program.site.state}",
            reverse("admin:programs_program_change", args=[program.pk]),
            note(program),
        )
        for program in programs[:SHOWN]
    ]


def _views_note(program) -> str:
    return _("%(views)s views in %(days)s days") % {
        "views": program.recent_views,
        "days": POPULAR_DAYS,
    }


def _report_items(reports) -> list[Item]:
    return [
        Item(
            f"{report.program.name}: {report.get_problem_display()}",
            reverse("admin:corrections_correctionreport_change", args=[report.pk]),
            report.details[:120],
        )
        for report in reports[:SHOWN]
    ]


def curator_queue(today: date) -> list[Part]:
    published = Program.objects.published().select_related("site")
    stale_before = today - timedelta(days=settings.STALE_AFTER_DAYS)
    availability_before = today - timedelta(days=settings.AVAILABILITY_STALE_DAYS)
    never = _by_views(published.filter(last_verified_on__isnull=True), today)
    stale = _by_views(published.filter(last_verified_on__lt=stale_before), today)
    reports = CorrectionReport.objects.filter(status=CorrectionReport.Status.NEW).select_related(
        "program"
    )
    not_listed = reports.filter(problem=CorrectionReport.Problem.NOT_LISTED)
    open_reports = reports.exclude(problem=CorrectionReport.Problem.NOT_LISTED)
    updates = ListingUpdate.objects.filter(status=ListingUpdate.Status.NEW).select_related(
        "program"
    )
    availability = _by_views(
        published.filter(
            accepting_new_clients__isnull=False, availability_as_of__lt=availability_before
        ),
        today,
    )
    return [
        Part(
            "never_verified",
            _("Never verified, most viewed first"),
            _("People open these listings, and nobody has checked their schedule or cost yet."),
            never.count(),
            _program_items(never, _views_note),
        ),
        Part(
            "stale",
            _("Not verified in the last %(days)s days") % {"days": settings.STALE_AFTER_DAYS},
            _("Checked once, long ago: programs change."),
            stale.count(),
            _program_items(
                stale, lambda p: _("last verified %(date)s") % {"date": p.last_verified_on}
            ),
        ),
        Part(
            "not_listed",
            _("No longer in SAMHSA's directory"),
            _("The last import did not find these: the program may have closed or moved."),
            not_listed.count(),
            _report_items(not_listed),
        ),
        Part(
            "reports",
            _("Open correction reports"),
            _("Visitors and guides told us something is wrong."),
            open_reports.count(),
            _report_items(open_reports),
        ),
        Part(
            "updates",
            _("Updates from programs waiting"),
            _("Programs sent these changes and confirmed their email."),
            updates.count(),
            [
                Item(
                    update.program.name,
                    reverse("admin:corrections_listingupdate_change", args=[update.pk]),
                    update.sender_email,
                )
                for update in updates[:SHOWN]
            ],
        ),
        Part(
            "availability",
            _("Availability gone stale"),
            _(
                "Whether these take new clients was last confirmed more than %(days)s days ago: "
                "pages now say it is not known."
            )
            % {"days": settings.AVAILABILITY_STALE_DAYS},
            availability.count(),
            _program_items(
                availability, lambda p: _("as of %(date)s") % {"date": p.availability_as_of}
            ),
        ),
    ]
