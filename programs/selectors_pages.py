"""Reads for the program page, the shortlist and compare. Search lives in selectors.py."""

from programs import places, selectors
from programs.models import Program


def program_page(*, pk: int) -> Program:
    """One published program with every fact its page shows; raises Program.DoesNotExist."""
    return selectors.public_program_detail(pk=pk)


def programs_in_order(*, ids: list[int], for_compare: bool = False) -> list[Program]:
    """The published programs among `ids`, in the order given; the others are left out.

    With the payment kinds the shortlist's cards show, and for compare its payment,
    insurer and service rows and its tracks' days and times.
    """
    programs = selectors.published_programs().filter(pk__in=ids)
    if for_compare:
        programs = programs.prefetch_related("payment_kinds", "insurers", "services", "tracks")
    by_id = {program.pk: program for program in programs}
    return selectors.with_payment_slugs([by_id[pk] for pk in ids if pk in by_id])


def with_distances(programs: list[Program], *, near: places.Place | None) -> None:
    """Set `distance_miles` on each program: None without a place or the site's coordinates.

    Computed in Python, with the search page's formula: compare shows at most four programs.
    """
    for program in programs:
        site, program.distance_miles = program.site, None
        if near is not None and site.latitude is not None and site.longitude is not None:
            origin = (near.latitude, near.longitude)
            miles = places.miles_between(origin, (site.latitude, site.longitude))
            program.distance_miles = round(miles, 1)
