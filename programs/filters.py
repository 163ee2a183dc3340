"""The search's parameter layer: a django-filter FilterSet built from programs/parameters.py.

It validates the query string, builds the form and says what is wrong with a value; the
matching itself is programs/engine.py's (ProgramFilterSet.qs asks it too).
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from iopfinder.translation import once_per_language
from programs import engine, places
from programs import parameters as declared
from programs.models import Program


class ZipCodeField(forms.CharField):
    default_validators = [RegexValidator(r"^\d{5}$", _("Enter a 5-digit ZIP code, like 94103."))]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and places.place_of_zip(value) is None:
            raise forms.ValidationError(
                _("%(zip)s is not a US ZIP code."), code="unknown_zip", params={"zip": value}
            )
        return value


class ZipCodeFilter(django_filters.CharFilter):
    field_class = ZipCodeField


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _number_filter(parameter: declared.Parameter) -> django_filters.Filter:
    least, most = parameter.bounds
    if parameter.decimals is None:
        return IntegerFilter(label=parameter.label, min_value=least, max_value=most)
    digits = len(str(most)) + parameter.decimals
    return django_filters.NumberFilter(
        label=parameter.label,
        min_value=least,
        max_value=most,
        max_digits=digits,
        decimal_places=parameter.decimals,
    )


def filter_of(parameter: declared.Parameter) -> django_filters.Filter:
    """The django-filter field that validates one declared parameter."""
    label = parameter.label

    def choices():
        # A callable, not a list: forms and filters deep-copy their choices on every search.
        return list(parameter.choices)

    if parameter.match == declared.DISTANCE:
        return ZipCodeFilter(label=label)
    if parameter.match == declared.WORDS:
        return django_filters.CharFilter(label=label, max_length=parameter.max_length)
    if parameter.repeatable:
        return django_filters.MultipleChoiceFilter(label=label, choices=choices)
    if parameter.match == declared.FLAG or not (parameter.choices or parameter.bounds):
        return django_filters.BooleanFilter(label=label, widget=BooleanWidget)
    if parameter.choices:
        return django_filters.ChoiceFilter(label=label, choices=choices)
    return _number_filter(parameter)


class _SearchFilterSet(django_filters.FilterSet):
    class Meta:
        model = Program
        fields = []

    def filter_queryset(self, queryset):
        """The programs of `queryset` that the engine finds for these parameters."""
        found = engine.Search(self.form.cleaned_data)
        ids = found.catalogue.ids[found.positions].tolist()
        return queryset.filter(pk__in=ids)


ProgramFilterSet = type(
    "ProgramFilterSet",
    (_SearchFilterSet,),
    {
        "__doc__": "Every public search parameter (programs/parameters.py) as a filter.",
        "__module__": __name__,
        **{parameter.name: filter_of(parameter) for parameter in declared.PARAMETERS},
    },
)


def choice_labels(name: str) -> dict[str, str]:
    """A choice parameter's values and their labels in the active language, as plain
    strings: translated once per language, not once per value and page."""
    return _all_choice_labels()[name]


@once_per_language
def _all_choice_labels() -> dict[str, dict[str, str]]:
    return {
        parameter.name: {value: str(label) for value, label in parameter.choices}
        for parameter in declared.PARAMETERS
        if parameter.choices
    }
