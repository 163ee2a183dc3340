"""Reads of correction reports."""

from corrections.models import CorrectionReport


def open_reports(*, program):
    """The reports on a program that no curator has resolved yet, newest first."""
    return CorrectionReport.objects.filter(program=program, status=CorrectionReport.Status.NEW)
