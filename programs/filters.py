"""The one search: every query parameter of /programs/ and /api/programs/ (a public contract,
issue "Patient search"). selectors.program_search() is the only caller.

Within a repeatable parameter values combine with OR, across parameters with AND; `service`
is all-of. Schedule bounds ask "can I attend this program within my limit?", so they compare
against the program's lightest track (days_per_week_min, hours_per_week_min,
length_weeks_min); a program whose schedule is not yet verified is left out when a bound is
given. `max_cost_per_session` likewise keeps programs whose cheapest known session fits.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from programs import search, vocabulary
from programs.models import Program


def _vocabulary_choices(terms: dict) -> list[tuple[str, str]]:
    return [(slug, _(vocabulary.label_of(entry))) for slug, entry in terms.items()]


LEVEL_CHOICES = Program.LevelOfCare.choices
FOCUS_CHOICES = _vocabulary_choices(vocabulary.FOCUS)
PAYMENT_CHOICES = _vocabulary_choices(vocabulary.PAYMENT_KINDS)
INSURER_CHOICES = _vocabulary_choices(vocabulary.INSURERS)
SERVICE_CHOICES = _vocabulary_choices(vocabulary.SERVICES)
POPULATION_CHOICES = _vocabulary_choices(vocabulary.POPULATIONS)
LANGUAGE_CHOICES = _vocabulary_choices(vocabulary.LANGUAGES)
TIME_OF_DAY_CHOICES = _vocabulary_choices(vocabulary.TIMES_OF_DAY)
# A person asks for a way to attend; "both" programs offer either.
FORMAT_CHOICES = [("in_person", _("In person")), ("telehealth", _("Telehealth"))]
# A program for co-occurring disorders treats substance use and mental health alike, so it
# serves either single need (domain.md "Focus"; most SAMHSA listings are co-occurring);
# asking for co-occurring care finds only programs that treat both.
FOCUS_SERVED_BY = {
    "substance_use": ["substance_use", "co_occurring"],
    "mental_health": ["mental_health", "co_occurring"],
    "co_occurring": ["co_occurring"],
}
SORT_CHOICES = [
    ("distance", _("Nearest first")),
    ("relevance", _("Best match")),
    ("cost", _("Lowest cost first")),
    ("hours", _("Fewest hours a week first")),
    ("verified", _("Most recently verified")),
    ("name", _("Name")),
]
DEFAULT_RADIUS = 25
RADIUS_CHOICES = [10, 25, 50, 100]

TIME_OF_DAY_FIELDS = {
    "morning": "offers_morning",
    "afternoon": "offers_afternoon",
    "evening": "offers_evening",
    "weekend": "offers_weekend",
}


def time_of_day_match(values) -> Q:
    condition = Q(pk__in=[])
    for value in values:
        condition |= Q(**{TIME_OF_DAY_FIELDS[value]: True})
    return condition


def format_match(value: str) -> Q:
    return Q(format__in=[value, "both"])


class ZipCodeField(forms.CharField):
    default_validators = [RegexValidator(r"^\d{5}$", _("Enter a 5-digit ZIP code, like 94103."))]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and search.place_of_zip(value) is None:
            raise forms.ValidationError(
                _("%(zip)s is not a US ZIP code."), code="unknown_zip", params={"zip": value}
            )
        return value


class ZipCodeFilter(django_filters.CharFilter):
    field_class = ZipCodeField


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProgramFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name, provider, city or service"), max_length=200, method="filter_q"
    )
    level = django_filters.MultipleChoiceFilter(
        label=_("Level of care"), choices=LEVEL_CHOICES, method="filter_level"
    )
    focus = django_filters.ChoiceFilter(
        label=_("Focus"), choices=FOCUS_CHOICES, method="filter_focus"
    )
    payment = django_filters.MultipleChoiceFilter(
        label=_("Payment"), choices=PAYMENT_CHOICES, method="filter_any_term"
    )
    insurer = django_filters.MultipleChoiceFilter(
        label=_("Insurer"), choices=INSURER_CHOICES, method="filter_any_term"
    )
    max_cost_per_session = django_filters.NumberFilter(
        label=_("Most I can pay per session ($)"),
        min_value=0,
        max_value=100000,
        max_digits=8,
        decimal_places=2,
        method="filter_cost",
    )
    include_unknown_cost = django_filters.BooleanFilter(
        label=_("Include programs whose cost is not yet verified"),
        widget=BooleanWidget,
        method="filter_nothing",
    )
    time_of_day = django_filters.MultipleChoiceFilter(
        label=_("Time of day"), choices=TIME_OF_DAY_CHOICES, method="filter_time_of_day"
    )
    max_days_per_week = IntegerFilter(
        label=_("At most this many days a week"),
        min_value=1,
        max_value=7,
        field_name="days_per_week_min",
        lookup_expr="lte",
    )
    max_hours_per_week = django_filters.NumberFilter(
        label=_("At most this many hours a week"),
        min_value=1,
        max_value=168,
        max_digits=5,
        decimal_places=1,
        field_name="hours_per_week_min",
        lookup_expr="lte",
    )
    max_weeks = IntegerFilter(
        label=_("At most this many weeks"),
        min_value=1,
        max_value=104,
        field_name="length_weeks_min",
        lookup_expr="lte",
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=FORMAT_CHOICES, method="filter_format"
    )
    service = django_filters.MultipleChoiceFilter(
        label=_("Services (all of them)"), choices=SERVICE_CHOICES, method="filter_all_terms"
    )
    population = django_filters.MultipleChoiceFilter(
        label=_("Who it is for"), choices=POPULATION_CHOICES, method="filter_any_term"
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language"), choices=LANGUAGE_CHOICES, method="filter_any_term"
    )
    near = ZipCodeFilter(label=_("ZIP code"), method="filter_near")
    radius = IntegerFilter(
        label=_("Within (miles)"),
        min_value=1,
        max_value=100,
        method="filter_nothing",
    )
    accepting = django_filters.BooleanFilter(
        label=_("Accepting new clients only"), widget=BooleanWidget, method="filter_accepting"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_nothing"
    )

    class Meta:
        model = Program
        fields = []

    def get_form_class(self):
        """Built once per process: the fields do not depend on the request, and each form
        deep-copies them anyway (rebuilding them cost about a millisecond a search)."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_queryset(self, queryset, *, leave_out=(), near_branch=None):
        """Apply every valid parameter except those in leave_out (used for facet counts).
        near_branch ("radius" or "telehealth") keeps one of the two ways `near` reaches a
        person, for a UNION ALL of the two (selectors._facet_candidates)."""
        self.left_out, self.near_branch = set(leave_out), near_branch
        for name, value in self.form.cleaned_data.items():
            if name not in leave_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    # Parameters that only steer other filters or the ordering.
    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return search.text_match(queryset, value)

    def filter_level(self, queryset, name, value):
        return queryset.filter(level_of_care__in=value)

    def filter_focus(self, queryset, name, value):
        return queryset.filter(focus__in=FOCUS_SERVED_BY[value])

    # The search reads the program's own bit sets (search.MASK_FIELDS): no subquery per
    # row, and the same test the facet counts use.
    def filter_any_term(self, queryset, name, value):
        return queryset.filter(search.has_any_term(name, value))

    def filter_all_terms(self, queryset, name, value):
        return queryset.filter(search.has_every_term(name, value))

    def filter_cost(self, queryset, name, value):
        fits = Q(cost_per_session_min__lte=value)
        if self.form.cleaned_data.get("include_unknown_cost"):
            fits |= Q(cost_per_session_min__isnull=True)
        return queryset.filter(fits)

    def filter_time_of_day(self, queryset, name, value):
        return queryset.filter(time_of_day_match(value))

    def filter_format(self, queryset, name, value):
        return queryset.filter(format_match(value))

    def filter_accepting(self, queryset, name, value):
        return queryset.filter(accepting_new_clients=True) if value else queryset

    def filter_near(self, queryset, name, value):
        place = search.place_of_zip(value)
        radius = self.form.cleaned_data.get("radius") or DEFAULT_RADIUS
        # The program's own copy of its site's place: one table, indexed (program_place,
        # program_level_place, program_state_format), so the OR below is a BitmapOr of two
        # index scans; the facet counts take the two branches apart (near_branch).
        distance = search.distance_expression(place)
        telehealth_in_state = Q(format__in=["telehealth", "both"], search_state=place.state)
        if "format" not in self.left_out and (self.form.cleaned_data.get("format") == "in_person"):
            # Attending in person: only what is within the radius, never "by telehealth".
            telehealth_in_state = Q(pk__in=[])
        in_radius = search.bounding_box(place, radius) & Q(distance__lte=radius)
        # One of the two ways of reaching the person, for a UNION ALL (selectors), or both.
        reached = {
            "radius": in_radius,
            "telehealth": telehealth_in_state & ~in_radius,
        }.get(self.near_branch, in_radius | telehealth_in_state)
        # reach: "distance" inside the radius, else "telehealth" (shown instead of miles).
        return (
            queryset.annotate(distance=distance)
            .filter(reached)
            .annotate(
                reach=Case(
                    When(distance__lte=radius, then=Value("distance")),
                    default=Value("telehealth"),
                    output_field=CharField(),
                )
            )
        )
