"""The figures "About our data" shows, read from the published listings each time it opens:
where they came from, how many were verified recently, and how long ago a verified listing
was usually checked. Tests: tests/programs/test_about_data.py."""

import statistics
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from programs.models import Program


@dataclass(frozen=True)
class DataFigures:
    as_of: date
    published: int
    from_samhsa: int
    from_curators: int
    samples: int
    verified_recently: int
    never_verified: int
    # Over the listings ever verified; None while there are none.
    median_days_since_verified: float | None
    recent_days: int
    # A program page whose report form the About page links to (None with no listings).
    example_program: Program | None

    @property
    def verified_recently_percent(self) -> int | None:
        if not self.published:
            return None
        return round(100 * self.verified_recently / self.published)


def data_figures(*, today: date | None = None) -> DataFigures:
    today = today or timezone.localdate()
    recent_days = settings.STALE_AFTER_DAYS
    published = Program.objects.published()
    # Fictional listings count as samples whatever their source (the generator marks them).
    sample = Q(is_sample=True) | Q(source=Program.Source.GENERATED)
    counts = published.aggregate(
        published=Count("pk"),
        from_samhsa=Count("pk", filter=Q(source=Program.Source.SAMHSA) & ~sample),
        from_curators=Count("pk", filter=Q(source=Program.Source.MANUAL) & ~sample),
        samples=Count("pk", filter=sample),
        never_verified=Count("pk", filter=Q(last_verified_on__isnull=True)),
    )
    # In Python, so SQLite and PostgreSQL agree: one date per verified listing.
    ages = [
        (today - verified_on).days
        for verified_on in published.filter(last_verified_on__isnull=False).values_list(
            "last_verified_on", flat=True
        )
    ]
    return DataFigures(
        as_of=today,
        **counts,
        # Stale as the curators' list says (ProgramQuerySet.stale): not verified recently.
        verified_recently=counts["published"] - published.stale(today=today).count(),
        median_days_since_verified=statistics.median(ages) if ages else None,
        recent_days=recent_days,
        example_program=published.only("pk", "name").order_by("pk").first(),
    )
