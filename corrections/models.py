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


class ListingUpdate(models.Model):
    """A program's update of its own listing: the changes it proposes (corrections/updates.py),
    who sent them, whether they confirmed their email, and a curator's decision on each."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not yet confirmed")
        NEW = "new", _("To review")
        REVIEWED = "reviewed", _("Reviewed")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="listing_updates",
        verbose_name=_("program"),
    )
    sender_name = models.CharField(_("sender's name"), max_length=120)
    sender_role = models.CharField(_("sender's role"), max_length=120)
    sender_email = models.EmailField(_("sender's work email"))
    email_matches_website = models.BooleanField(
        _("email matches the program's website"), default=False
    )
    # {item: value}: only the items that differed from the listing when it was sent.
    changes = models.JSONField(_("proposed changes"), default=dict)
    # The one-time link's token is only ever in the email; a stolen database cannot confirm.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.UNCONFIRMED, db_index=True
    )
    # {item: "accepted" | "rejected"}, once a curator has reviewed it.
    decisions = models.JSONField(_("decisions"), default=dict, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("update from a program")
        verbose_name_plural = _("updates from programs")

    def __str__(self):
        return f"{self.program.name}: {self.sender_name}"
