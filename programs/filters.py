"""The one search: every query parameter of /programs/ and /api/programs/ (a public contract,
issue "Patient search"). selectors.program_search() is the only caller.

Within a repeatable parameter values combine with OR, across parameters with AND; `service`
is all-of. Schedule bounds ask "can I attend this program within my limit?", so they compare
against the program's lightest track (days_per_week_min, hours_per_week_min,
length_weeks_min); a program whose schedule is not yet verified is left out when a bound is
given. `max_cost_per_session` likewise keeps programs whose cheapest known session fits.
"""

import copy

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import BooleanField, CharField, FloatField
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod
from django_filters.widgets import BooleanWidget

from iopfinder.translation import once_per_language
from programs import search, search_sql, vocabulary
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
SORT_CHOICES = [
    ("distance", _("Nearest first")),
    ("relevance", _("Best match")),
    ("cost", _("Lowest cost first")),
    ("hours", _("Fewest hours a week first")),
    ("verified", _("Most recently verified")),
    ("name", _("Name")),
]
RADIUS_CHOICES = [10, 25, 50, 100]


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
        label=_("Level of care"), choices=LEVEL_CHOICES, method="filter_facet"
    )
    focus = django_filters.ChoiceFilter(
        label=_("Focus"), choices=FOCUS_CHOICES, method="filter_facet"
    )
    payment = django_filters.MultipleChoiceFilter(
        label=_("Payment"), choices=PAYMENT_CHOICES, method="filter_facet"
    )
    insurer = django_filters.MultipleChoiceFilter(
        label=_("Insurer"), choices=INSURER_CHOICES, method="filter_facet"
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
        label=_("Time of day"), choices=TIME_OF_DAY_CHOICES, method="filter_facet"
    )
    max_days_per_week = IntegerFilter(
        label=_("At most this many days a week"),
        min_value=1,
        max_value=7,
        method="filter_limit",
    )
    max_hours_per_week = django_filters.NumberFilter(
        label=_("At most this many hours a week"),
        min_value=1,
        max_value=168,
        max_digits=5,
        decimal_places=1,
        method="filter_limit",
    )
    max_weeks = IntegerFilter(
        label=_("At most this many weeks"),
        min_value=1,
        max_value=104,
        method="filter_limit",
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=FORMAT_CHOICES, method="filter_facet"
    )
    service = django_filters.MultipleChoiceFilter(
        label=_("Services (all of them)"), choices=SERVICE_CHOICES, method="filter_facet"
    )
    population = django_filters.MultipleChoiceFilter(
        label=_("Who it is for"), choices=POPULATION_CHOICES, method="filter_facet"
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language"), choices=LANGUAGE_CHOICES, method="filter_facet"
    )
    near = ZipCodeFilter(label=_("ZIP code"), method="filter_near")
    radius = IntegerFilter(
        label=_("Within (miles)"),
        min_value=1,
        max_value=100,
        method="filter_nothing",
    )
    accepting = django_filters.BooleanFilter(
        label=_("Accepting new clients only"), widget=BooleanWidget, method="filter_facet"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_nothing"
    )

    class Meta:
        model = Program
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        """As django-filter's, but each filter is copied shallowly: deep-copying their choices,
        widgets and lazy labels was most of a search's validation time, and nothing in a
        filter changes per search but its parent."""
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = Program.objects.all() if queryset is None else queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if isinstance(base.filter, FilterMethod):
                filter_.filter = FilterMethod(filter_)  # bound to this copy, not the base
            filter_.model = self.queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        """Built once per process: the fields do not depend on the request (rebuilding them
        cost about a millisecond a search). Forms share the fields instead of deep-copying
        them: nothing changes a field or its widget after it is built."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    # Each method applies the condition programs/search_sql.py writes for its parameter, the
    # same SQL the results page and the facet counts run.
    def filter_nothing(self, queryset, name, value):
        """Parameters that only steer other filters or the ordering."""
        return queryset

    def filter_q(self, queryset, name, value):
        rank = search_sql.text_rank(value)
        return _where(queryset, search_sql.text_condition(value)).annotate(
            rank=RawSQL(rank.text, rank.params, output_field=FloatField())
        )

    def filter_facet(self, queryset, name, value):
        values = search_sql.chosen({name: value}, name)  # accepting=0 chooses nothing
        if not values:
            return queryset
        return _where(queryset, search_sql.facet_selection(name, values))

    def filter_cost(self, queryset, name, value):
        unknown = bool(self.form.cleaned_data.get("include_unknown_cost"))
        return _where(queryset, search_sql.cost_condition(value, unknown))

    def filter_limit(self, queryset, name, value):
        return _where(queryset, search_sql.limit_condition(name, value))

    def filter_near(self, queryset, name, value):
        near = search_sql.Near.of(self.form.cleaned_data)
        distance, reach = near.distance, near.reach
        # reach: "distance" inside the radius, else "telehealth" (shown instead of miles).
        return _where(
            queryset.annotate(
                distance=RawSQL(distance.text, distance.params, output_field=FloatField()),
                reach=RawSQL(reach.text, reach.params, output_field=CharField()),
            ),
            near.condition(in_person_only=search_sql.in_person_only(self.form.cleaned_data)),
        )


class SharedFields(dict):
    """A form's fields that each form uses as they are (Form.__init__ deep-copies them)."""

    def __deepcopy__(self, memo):
        return dict(self)


def _where(queryset, condition: search_sql.Sql):
    return queryset.filter(RawSQL(condition.text, condition.params, output_field=BooleanField()))


def choice_labels(name: str) -> dict[str, str]:
    """A choice parameter's values and their labels in the active language, as plain
    strings: translated once per language, not once per value and page."""
    return _all_choice_labels()[name]


@once_per_language
def _all_choice_labels() -> dict[str, dict[str, str]]:
    return {
        name: {str(value): str(label) for value, label in filter_.extra["choices"]}
        for name, filter_ in ProgramFilterSet.base_filters.items()
        if "choices" in filter_.extra
    }
