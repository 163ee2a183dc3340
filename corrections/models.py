from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class CorrectionReport(models.Model):
    """A visitor's note that something on a program page is wrong, for curators to check."""

    class Problem(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule or hours")
        COST = "cost", _("Cost")
        PAYMENT = "payment", _("Insurance or payment")
        CONTACT = "contact", _("Phone, website or address")
        CLOSED = "closed", _("Closed or not accepting new clients")
        OTHER = "other", _("Something else")
        # Filed by the SAMHSA import, not by visitors (programs/imports.py).
        NOT_LISTED = "not_listed", _("No longer in SAMHSA's directory")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        RESOLVED = "resolved", _("Resolved")

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="correction_reports",
        verbose_name=_("program"),
    )
    problem = models.CharField(_("what is wrong"), max_length=12, choices=Problem)
    details = models.TextField(_("details"), max_length=2000)
    contact_email = models.EmailField(_("contact email"), blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.NEW, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("correction report")
        verbose_name_plural = _("correction reports")

    def __str__(self):
        return f"{self.program.name}: {self.get_problem_display()}"
