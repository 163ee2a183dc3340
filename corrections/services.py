"""Writes for correction reports: visitors submit them, curators resolve them."""

from django.db import transaction
from django.utils import timezone

from corrections.models import CorrectionReport


def submit_correction(*, program, problem: str, details: str, contact_email: str = ""):
    return CorrectionReport.objects.create(
        program=program, problem=problem, details=details, contact_email=contact_email
    )


@transaction.atomic
def resolve_corrections(*, reports, user) -> int:
    """Mark reports resolved by this curator; already resolved ones keep who resolved them."""
    return reports.filter(status=CorrectionReport.Status.NEW).update(
        status=CorrectionReport.Status.RESOLVED, resolved_by=user, resolved_at=timezone.now()
    )


@transaction.atomic
def reopen_corrections(*, reports) -> int:
    return reports.filter(status=CorrectionReport.Status.RESOLVED).update(
        status=CorrectionReport.Status.NEW, resolved_by=None, resolved_at=None
    )
