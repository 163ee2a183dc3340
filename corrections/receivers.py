"""The corrections app's answers to the catalogue's signals (programs/signals.py)."""

from django.dispatch import receiver

from corrections.models import CorrectionReport
from programs.models import Program
from programs.signals import programs_not_listed


@receiver(programs_not_listed, sender=Program)
def queue_not_listed(*, programs, directories, **kwargs) -> None:
    """Each program an import no longer finds goes to the curators' queue, once."""
    queued = set(
        CorrectionReport.objects.filter(
            problem=CorrectionReport.Problem.NOT_LISTED,
            status=CorrectionReport.Status.NEW,
        ).values_list("program_id", flat=True)
    )
    CorrectionReport.objects.bulk_create(
        CorrectionReport(
            program=program,
            problem=CorrectionReport.Problem.NOT_LISTED,
            details=(
                "The SAMHSA import of "
                + ", ".join(directories).replace("_", " ")
                + " listings no longer lists this program. Check that it is still open "
                "before archiving it."
            ),
        )
        for program in programs
        if program.pk not in queued
    )
