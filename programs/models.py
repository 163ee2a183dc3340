from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from programs import levels, meeting_times, vocabulary

zip_code_validator = RegexValidator(r"^\d{5}$", _("Enter a 5-digit ZIP code, like 94103."))
state_validator = RegexValidator(r"^[A-Z]{2}$", _("Enter a 2-letter state code, like CA."))
non_negative = MinValueValidator(Decimal("0"), _("A cost cannot be negative."))


def _choices(mapping):
    return [(slug, _(vocabulary.label_of(entry))) for slug, entry in mapping.items()]


class VocabularyTerm(models.Model):
    """A term of the catalogue's controlled vocabulary (programs/vocabulary.py)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return str(_(self.name))


class PaymentKind(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("payment kind")


class Insurer(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("insurer")


class Service(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("service")


class Population(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("population")


class Language(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("language")


class Accreditation(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("accreditation")


class Provider(models.Model):
    """An organization that runs programs at one or more sites."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")

    def __str__(self):
        return self.name


class Site(models.Model):
    """A place where a provider runs programs."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("site name"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2, validators=[state_validator])
    zip_code = models.CharField(_("ZIP code"), max_length=5, validators=[zip_code_validator])
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, _("Latitude must be between -90 and 90.")),
            MaxValueValidator(90, _("Latitude must be between -90 and 90.")),
        ],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, _("Longitude must be between -180 and 180.")),
            MaxValueValidator(180, _("Longitude must be between -180 and 180.")),
        ],
    )
    placed_at_zip = models.BooleanField(
        _("placed at its ZIP code's centre"),
        default=False,
        help_text=_(
            "SAMHSA's National Directory gives an address but no coordinates: distances are "
            "from the ZIP code's centre until a curator sets the coordinates."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "city", "name"]
        verbose_name = _("site")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="site_coordinates"),
            models.Index(fields=["state"], name="site_state"),
        ]

    def __str__(self):
        where = f"{self.city}, {self.state} {self.zip_code}"
        return f"{self.name or self.provider.name} ({where})"


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Program.Status.PUBLISHED)

    def stale(self, today=None):
        cutoff = (today or timezone.localdate()) - timedelta(days=settings.STALE_AFTER_DAYS)
        return self.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))

    def outside_level_band(self):
        """Programs whose known weekly hours fall outside their level's band (levels.py)."""
        condition = Q(pk__in=[])
        for level, band in levels.HOURS_PER_WEEK_BANDS.items():
            outside = Q(pk__in=[])
            if band["min"] is not None:
                outside |= Q(hours_per_week_min__lt=band["min"])
            if band["max"] is not None:
                too_many = (
                    "hours_per_week_max__gte"
                    if level == levels.OUTPATIENT
                    else ("hours_per_week_max__gt")
                )
                outside |= Q(**{too_many: band["max"]})
            condition |= Q(level_of_care=level, hours_per_week_min__isnull=False) & outside
        return self.filter(condition)


class AvailabilitySource(models.TextChoices):
    """Who said whether a program takes new clients, and its wait."""

    PROGRAM = "program", _("the program")
    GUIDE = "guide", _("a recovery guide's call")
    CURATOR = "curator", _("our curators")


class VerificationSource(models.TextChoices):
    """Who last checked a listing: a curator, or the program itself in an update a curator
    accepted (corrections/update_services.py)."""

    CURATOR = "curator", _("our curators")
    PROGRAM = "program", _("the program")


class Program(models.Model):
    """One level of care a provider runs at a site: the listing patients compare."""

    class LevelOfCare(models.TextChoices):
        PHP = levels.PHP, _("Partial hospitalization (PHP)")
        IOP = levels.IOP, _("Intensive outpatient (IOP)")
        OUTPATIENT = levels.OUTPATIENT, _("Standard outpatient")
        RESIDENTIAL = levels.RESIDENTIAL, _("Residential")
        INPATIENT = levels.INPATIENT, _("Hospital inpatient")
        DETOX = levels.DETOX, _("Medically supervised detox")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        SAMHSA = "samhsa", _("Imported from the SAMHSA locator")
        GENERATED = "generated", _("Generated (synthetic, for benchmarks)")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="programs")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(
        _("description in Spanish"),
        blank=True,
        help_text=_("Shown on Spanish pages; they show the English when this is blank."),
    )
    level_of_care = models.CharField(_("level of care"), max_length=12, choices=LevelOfCare)
    focus = models.CharField(_("focus"), max_length=16, choices=_choices(vocabulary.FOCUS))
    format = models.CharField(
        _("format"), max_length=12, choices=_choices(vocabulary.FORMATS), default="in_person"
    )

    # Schedule summary across the program's tracks, kept by
    # services.refresh_schedule_summary. None means "not yet verified".
    days_per_week_min = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    days_per_week_max = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    hours_per_day_min = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )
    hours_per_day_max = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )
    hours_per_week_min = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    hours_per_week_max = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    length_weeks_min = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    length_weeks_max = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    offers_morning = models.BooleanField(default=False, editable=False)
    offers_afternoon = models.BooleanField(default=False, editable=False)
    offers_evening = models.BooleanField(default=False, editable=False)
    offers_weekend = models.BooleanField(default=False, editable=False)

    # Cost; None means "not yet verified", never zero.
    cost_per_session_min = models.DecimalField(
        _("cost per session, from ($)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    cost_per_session_max = models.DecimalField(
        _("cost per session, up to ($)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    total_cost_min = models.DecimalField(
        _("whole program, from ($)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    total_cost_max = models.DecimalField(
        _("whole program, up to ($)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    cost_notes = models.CharField(_("cost notes"), max_length=300, blank=True)
    cost_notes_es = models.CharField(
        _("cost notes in Spanish"),
        max_length=300,
        blank=True,
        help_text=_("Shown on Spanish pages; they show the English when this is blank."),
    )

    payment_kinds = models.ManyToManyField(PaymentKind, blank=True, verbose_name=_("payment"))
    insurers = models.ManyToManyField(Insurer, blank=True, verbose_name=_("insurers"))
    services = models.ManyToManyField(Service, blank=True, verbose_name=_("services"))
    populations = models.ManyToManyField(Population, blank=True, verbose_name=_("populations"))
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    accreditations = models.ManyToManyField(
        Accreditation, blank=True, verbose_name=_("accreditation")
    )

    directory_facts = models.JSONField(
        _("facts from SAMHSA's directory"),
        default=dict,
        blank=True,
        help_text=_(
            'Shown on the program page, not searched: {"sex_served": ["women", "men"], '
            '"licensing": ["state_substance_use_agency", ...]} (programs/vocabulary.py).'
        ),
    )
    intake_process = models.CharField(
        _("how to start"),
        max_length=20,
        choices=_choices(vocabulary.INTAKE_PROCESSES),
        blank=True,
        help_text=_("Leave blank when not known: the program page says so."),
    )
    intake_notes = models.CharField(_("intake notes"), max_length=300, blank=True)
    intake_notes_es = models.CharField(
        _("intake notes in Spanish"),
        max_length=300,
        blank=True,
        help_text=_("Shown on Spanish pages; they show the English when this is blank."),
    )
    # Availability: whether it takes new clients, the next intake or the wait, as of a date and
    # from whom. Older than AVAILABILITY_STALE_DAYS, it shows as unknown (availability()).
    accepting_new_clients = models.BooleanField(_("accepting new clients"), null=True, blank=True)
    wait_time_days = models.PositiveSmallIntegerField(_("wait time (days)"), null=True, blank=True)
    next_intake_on = models.DateField(_("next intake date"), null=True, blank=True)
    availability_as_of = models.DateField(_("availability as of"), null=True, blank=True)
    availability_source = models.CharField(
        _("availability from"), max_length=10, choices=AvailabilitySource, blank=True
    )
    license_number = models.CharField(_("licence number"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    external_key = models.CharField(_("external key"), max_length=64, blank=True)
    # The values the last import wrote, so a re-import leaves curator edits alone.
    imported_values = models.JSONField(default=dict, blank=True, editable=False)
    is_sample = models.BooleanField(
        _("sample listing"),
        default=False,
        help_text=_("Fictional demo data: the public pages mark it as a sample."),
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last verified by"),
    )
    last_verified_source = models.CharField(
        _("last verified from"),
        max_length=10,
        choices=VerificationSource,
        default=VerificationSource.CURATOR,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Text from related rows, copied here so one row can be searched for words (and, on
    # PostgreSQL, feed the GIN-indexed `search_vector` column added by migration
    # 0003). Kept by services.refresh_search_text / refresh_search_index.
    search_provider = models.CharField(max_length=200, blank=True, default="", editable=False)
    search_place = models.CharField(max_length=200, blank=True, default="", editable=False)
    search_services = models.TextField(blank=True, default="", editable=False)
    history = HistoricalRecords(
        m2m_fields=[payment_kinds, insurers, services, populations, languages, accreditations],
        excluded_fields=[
            "imported_values",
            "updated_at",
            "search_provider",
            "search_place",
            "search_services",
        ],
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("program")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_key"],
                condition=~Q(external_key=""),
                name="program_unique_external_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level_of_care"], name="program_status_level"),
            models.Index(fields=["last_verified_on"], name="program_last_verified"),
            # The admin's list and the search engine's copy read programs in name order.
            models.Index(fields=["name", "id"], name="program_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_level_of_care_display()})"

    def clean(self):
        errors = {}
        for low, high in [
            ("cost_per_session_min", "cost_per_session_max"),
            ("total_cost_min", "total_cost_max"),
        ]:
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and low_value > high_value:
                errors[high] = _("The upper amount must be at least the lower amount.")
        if self.site_id and self.provider_id and self.site.provider_id != self.provider_id:
            errors["site"] = _("Choose a site that belongs to this program's provider.")
        if errors:
            raise ValidationError(errors)

    @property
    def schedule_known(self) -> bool:
        return self.hours_per_week_min is not None

    def availability(self, today: date | None = None) -> dict:
        """Whether it takes new clients, the next intake and the wait, as of when and from
        whom: all None when never given, or older than AVAILABILITY_STALE_DAYS (unknown)."""
        today = today or timezone.localdate()
        fresh = self.availability_as_of is not None and (
            (today - self.availability_as_of).days <= settings.AVAILABILITY_STALE_DAYS
        )
        return {
            "accepting_new_clients": self.accepting_new_clients if fresh else None,
            "next_intake": self.next_intake_on if fresh else None,
            "wait_days": self.wait_time_days if fresh else None,
            "as_of": self.availability_as_of if fresh else None,
            "source": self.availability_source if fresh else None,
        }

    @property
    def accepting_now(self) -> bool | None:
        """Whether it takes new clients as far as we know today: None when not known or
        stale. The `accepting` filter reads this (the engine works it out in SQL)."""
        return self.availability()["accepting_new_clients"]

    @property
    def cost_known(self) -> bool:
        return self.cost_per_session_min is not None or self.total_cost_min is not None

    @property
    def outside_level_band(self) -> bool:
        return levels.hours_outside_band(
            self.level_of_care, self.hours_per_week_min, self.hours_per_week_max
        )

    @property
    def is_stale(self) -> bool:
        if self.last_verified_on is None:
            return True
        age = timezone.localdate() - self.last_verified_on
        return age > timedelta(days=settings.STALE_AFTER_DAYS)


class ScheduleTrack(models.Model):
    """One way to attend a program (a daytime track, an evening track...)."""

    # What curators and programs enter for a track (the admin's inline, a program's update).
    ENTERED = (
        "name",
        "weekdays",
        "starts_at",
        "ends_at",
        "time_of_day",
        "weekend",
        "days_per_week_min",
        "days_per_week_max",
        "hours_per_day_min",
        "hours_per_day_max",
        "length_weeks_min",
        "length_weeks_max",
    )

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        EVENING = "evening", _("Evening")

    days = [
        MinValueValidator(1, _("Days per week must be between 1 and 7.")),
        MaxValueValidator(7, _("Days per week must be between 1 and 7.")),
    ]
    hours = [
        MinValueValidator(Decimal("0.5"), _("Hours per day must be between 0.5 and 12.")),
        MaxValueValidator(Decimal("12"), _("Hours per day must be between 0.5 and 12.")),
    ]
    weeks = [
        MinValueValidator(1, _("Length must be between 1 and 104 weeks.")),
        MaxValueValidator(104, _("Length must be between 1 and 104 weeks.")),
    ]

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("track name"), max_length=80, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    time_of_day = models.CharField(
        _("time of day"),
        max_length=10,
        choices=TimeOfDay,
        blank=True,
        help_text=_("Not needed when you give the start time: it decides."),
    )
    weekend = models.BooleanField(
        _("meets on weekends"),
        default=False,
        help_text=_("Not needed when you tick the weekdays: Sat or Sun decide."),
    )
    days_per_week_min = models.PositiveSmallIntegerField(_("days per week, from"), validators=days)
    days_per_week_max = models.PositiveSmallIntegerField(_("days per week, up to"), validators=days)
    hours_per_day_min = models.DecimalField(
        _("hours per day, from"), max_digits=4, decimal_places=1, validators=hours
    )
    hours_per_day_max = models.DecimalField(
        _("hours per day, up to"), max_digits=4, decimal_places=1, validators=hours
    )
    length_weeks_min = models.PositiveSmallIntegerField(
        _("length in weeks, from"), null=True, blank=True, validators=weeks
    )
    length_weeks_max = models.PositiveSmallIntegerField(
        _("length in weeks, up to"), null=True, blank=True, validators=weeks
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "time_of_day", "id"]
        verbose_name = _("schedule track")

    def __str__(self):
        if self.name:
            return self.name
        time_of_day = meeting_times.time_of_day(self)
        return str(self.TimeOfDay(time_of_day).label) if time_of_day else ""

    def clean(self):
        errors = {}
        for low, high, message in [
            (
                "days_per_week_min",
                "days_per_week_max",
                _("Days per week: 'up to' must be at least 'from'."),
            ),
            (
                "hours_per_day_min",
                "hours_per_day_max",
                _("Hours per day: 'up to' must be at least 'from'."),
            ),
            ("length_weeks_min", "length_weeks_max", _("Length: 'up to' must be at least 'from'.")),
        ]:
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and low_value > high_value:
                errors[high] = message
        for field, message in self._meeting_time_errors().items():
            errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    def _meeting_time_errors(self) -> dict:
        errors = {}
        self.weekdays = meeting_times.in_week_order(self.weekdays or [])
        times_given = self.starts_at is not None or self.ends_at is not None
        if self.starts_at is None and self.ends_at is not None:
            errors["starts_at"] = _("Give both the start and the end time, or neither.")
        elif self.starts_at is not None and self.ends_at is None:
            errors["ends_at"] = _("Give both the start and the end time, or neither.")
        elif times_given and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end time must be after the start time.")
        if times_given and not self.weekdays:
            errors["weekdays"] = _("Tick at least one weekday when you give the times.")
        if self.starts_at is None and not self.time_of_day:
            errors["time_of_day"] = _("Choose a time of day, or give the start and end times.")
        meets_on = len(self.weekdays)
        if meets_on and self.days_per_week_max is not None and self.days_per_week_max > meets_on:
            errors["days_per_week_max"] = ngettext(
                "It meets on %(days)d weekday, so days per week can be at most %(days)d.",
                "It meets on %(days)d weekdays, so days per week can be at most %(days)d.",
                meets_on,
            ) % {"days": meets_on}
        return errors

    @property
    def hours_per_week_min(self) -> Decimal:
        return self.days_per_week_min * self.hours_per_day_min

    @property
    def hours_per_week_max(self) -> Decimal:
        return self.days_per_week_max * self.hours_per_day_max


class CatalogueVersion(models.Model):
    """One row whose token changes with every write to programs, their sites and their
    vocabulary terms, set by the database itself (triggers, migrations 0009 and 0010), so each
    worker's copy of the published catalogue in memory (programs/engine.py) knows when to
    read it again. A rolled-back write
    rolls the token back with it, so a token always names one state of the catalogue."""

    token = models.CharField(max_length=36)

    class Meta:
        verbose_name = _("catalogue version")

    def __str__(self):
        return self.token


class PageViews(models.Model):
    """How many times a program's public page was opened on a day: a count, nothing about who.
    The curators' queue puts the listings people open most first."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="page_views")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "day"], name="page_views_once_a_day")
        ]

    def __str__(self):
        return f"{self.program_id} on {self.day}: {self.views}"
