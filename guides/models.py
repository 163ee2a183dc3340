"""Caller records, referrals and the audit log of the recovery guides' workspace.

Caller details are sensitive health information: no change history (simple-history) is
kept for them, and the audit log holds who/what/when and field names, never values. Their
personal details are sealed with the caller's own key (guides/sealing.py, guides/keystore.py):
erasing a caller destroys the key, and every copy of those details with it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides import keystore
from guides.sealing import CallerErased, SealedJSONField, SealedTextField
from programs import vocabulary
from programs.models import Insurer, Language, PaymentKind, Population, Program, zip_code_validator


def _choices(mapping):
    return [(slug, _(vocabulary.label_of(entry))) for slug, entry in mapping.items()]


class Caller(models.Model):
    """Someone who called for help (or their family member), stored only with their consent."""

    RADIUS_CHOICES = [(5, _("5 miles")), (10, _("10 miles")), (25, _("25 miles"))]
    RADIUS_CHOICES += [(50, _("50 miles")), (100, _("100 miles"))]

    # The caller's key in the key store (keystore.py); sealed fields are sealed with it.
    key_id = models.CharField(max_length=32, unique=True, editable=False)
    alias = SealedTextField(_("first name or alias"), max_length=60)
    phone = SealedTextField(_("phone"), max_length=40, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=5, validators=[zip_code_validator])
    radius_miles = models.PositiveSmallIntegerField(
        _("how far they can travel"), choices=RADIUS_CHOICES, default=25
    )
    payment_kinds = models.ManyToManyField(
        PaymentKind, blank=True, verbose_name=_("how they can pay")
    )
    insurer = models.ForeignKey(
        Insurer, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("insurer")
    )
    times_of_day = models.JSONField(_("times they can attend"), default=list, blank=True)
    hours_per_week_max = models.PositiveSmallIntegerField(
        _("hours a week they can give, at most"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("Enter between 1 and 60 hours.")),
            MaxValueValidator(60, _("Enter between 1 and 60 hours.")),
        ],
    )
    focus = models.CharField(
        _("help with"), max_length=16, choices=_choices(vocabulary.FOCUS), blank=True
    )
    population = models.ForeignKey(
        Population,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("program for"),
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("language")
    )
    telehealth_ok = models.BooleanField(_("can attend by telehealth"), default=False)
    notes = SealedTextField(_("notes"), blank=True)

    consent_given_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("consent wording version"), max_length=20)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    screening_answers = SealedJSONField(null=True, blank=True, editable=False)
    screening_result = SealedJSONField(null=True, blank=True, editable=False)
    screened_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="callers",
        verbose_name=_("guide"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("caller")
        permissions = [("work_with_callers", _("Can take calls and see caller records"))]

    def __str__(self):
        # Never a name: this string can end up in logs and error reports.
        return f"Caller #{self.pk}"

    def sealing_key(self) -> bytes:
        """This caller's key (read once); CallerErased once it is destroyed."""
        if "_sealing_key" not in self.__dict__:
            key = keystore.keys_of([self.key_id]).get(self.key_id)
            if key is None:
                raise CallerErased(self.pk)
            self.__dict__["_sealing_key"] = key
        return self.__dict__["_sealing_key"]

    @property
    def recommended_level(self) -> str | None:
        return (self.screening_result or {}).get("level")


class Referral(models.Model):
    """A program on a caller's shortlist and how far the referral got.

    After erasure the row stays, anonymous (no caller, no note), so counts per program remain.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONTACTED = "contacted", _("Contacted")
        REFERRED = "referred", _("Referred")
        ADMITTED = "admitted", _("Admitted")
        DECLINED = "declined", _("Declined")
        NO_RESPONSE = "no_response", _("No response")

    OPEN_STATUSES = [Status.SUGGESTED, Status.CONTACTED, Status.REFERRED]

    caller = models.ForeignKey(
        Caller, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SUGGESTED)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    note = SealedTextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("referral")
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "program"],
                condition=Q(caller__isnull=False),
                name="referral_once_per_caller_program",
            ),
        ]
        indexes = [models.Index(fields=["status", "follow_up_on"], name="referral_follow_up")]

    def __str__(self):
        return f"Referral #{self.pk} ({self.status})"

    def sealing_key(self) -> bytes:
        if self.caller is None:
            raise CallerErased(self.pk)
        return self.caller.sealing_key()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReferralEvent(models.Model):
    """One step in a referral's history: its status from then on, who recorded it, a note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=12, choices=Referral.Status)
    note = SealedTextField(_("note"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    guide = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")

    def __str__(self):
        return f"Referral #{self.referral_id}: {self.status}"

    def sealing_key(self) -> bytes:
        return self.referral.sealing_key()


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly

    def delete(self):
        raise AuditLogIsAppendOnly


class AuditEntry(models.Model):
    """Append-only: who did what to which caller record, when. Never personal values."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Seen in a list")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        SCREEN = "screen", _("Screened")
        SHORTLIST = "shortlist", _("Added to shortlist")
        REFERRAL = "referral", _("Updated a referral")
        EXPORT = "export", _("Exported")
        SEND = "send", _("Sent the list")
        DANGER = "danger", _("Handled danger now")
        ERASE = "erase", _("Erased")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("what"), max_length=12, choices=Action)
    # A plain number, not a key: the entry outlives the caller's erasure.
    caller_id = models.PositiveBigIntegerField(_("caller record"), db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} caller #{self.caller_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly
