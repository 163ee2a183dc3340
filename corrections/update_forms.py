"""The form a program's staff fill in to update its listing (no account needed), with its
schedule tracks; and a curator's choice, change by change, to accept or reject it."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from corrections import updates
from corrections.models import ListingUpdate
from programs import meeting_times
from programs.models import Program, ScheduleTrack

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NUMBER = {"inputmode": "decimal"}
NOT_GIVEN = _("Not given")


def _blank_choice_says(field, words) -> None:
    """Name a select's blank choice in words rather than Django's "---------"."""
    field.choices = [("", words), *(choice for choice in field.choices if choice[0] != "")]


class TrackForm(forms.ModelForm):
    """One way to attend. The track's own checks (ScheduleTrack.clean) apply."""

    weekdays = forms.MultipleChoiceField(
        label=_("Days it meets"),
        choices=[(day, WEEKDAYS[number]) for number, day in enumerate(meeting_times.WEEKDAYS)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the days this track meets.")},
    )

    class Meta:
        model = ScheduleTrack
        fields = [
            "name",
            "weekdays",
            "starts_at",
            "ends_at",
            "time_of_day",
            "days_per_week_min",
            "days_per_week_max",
            "hours_per_day_min",
            "hours_per_day_max",
            "length_weeks_min",
            "length_weeks_max",
        ]
        widgets = {
            "starts_at": TIME_INPUT,
            "ends_at": TIME_INPUT,
            "hours_per_day_min": forms.NumberInput(attrs=NUMBER),
            "hours_per_day_max": forms.NumberInput(attrs=NUMBER),
        }
        help_texts = {"name": _("For example: Evening track.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _blank_choice_says(self.fields["time_of_day"], NOT_GIVEN)


class BaseTrackFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Remove this track")

    def tracks(self) -> list[ScheduleTrack]:
        """The tracks the program will have: those kept and those added (blank ones left out)."""
        return [
            form.instance
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


# One blank track to add a new one; a program rarely runs more than a few.
TrackFormSet = forms.formset_factory(
    TrackForm,
    formset=BaseTrackFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=8,
    validate_max=True,
)


class ListingUpdateForm(forms.ModelForm):
    """Prefilled with what the listing says now. It never saves: the changes go to a curator
    (update_services.submit_update) once the sender confirms their email."""

    sender_name = forms.CharField(label=_("Your name"), max_length=120)
    sender_role = forms.CharField(
        label=_("Your role at the program"),
        max_length=120,
        help_text=_("For example: intake coordinator, clinical director."),
    )
    sender_email = forms.EmailField(
        label=_("Your work email"),
        help_text=_(
            "We send a link to this address to confirm the update. An address at the "
            "program's own website helps our curators."
        ),
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accepting_new_clients = forms.NullBooleanField(
        label=_("Are you taking new clients?"),
        required=False,
        widget=forms.RadioSelect(
            choices=[("True", _("Yes")), ("False", _("No")), ("", _("Not saying"))]
        ),
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address like https://example.org.")},
    )

    class Meta:
        model = Program
        fields = [
            "cost_per_session_min",
            "cost_per_session_max",
            "total_cost_min",
            "total_cost_max",
            "cost_notes",
            "payment_kinds",
            "insurers",
            "accepting_new_clients",
            "next_intake_on",
            "wait_time_days",
            "intake_process",
            "intake_notes",
            "phone",
            "website",
        ]
        widgets = {
            "cost_per_session_min": forms.NumberInput(attrs=NUMBER),
            "cost_per_session_max": forms.NumberInput(attrs=NUMBER),
            "total_cost_min": forms.NumberInput(attrs=NUMBER),
            "total_cost_max": forms.NumberInput(attrs=NUMBER),
            "cost_notes": forms.Textarea(attrs={"rows": 2}),
            "payment_kinds": forms.CheckboxSelectMultiple,
            "insurers": forms.CheckboxSelectMultiple,
            "next_intake_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "intake_notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }
        labels = {"payment_kinds": _("Payment accepted")}
        help_texts = {
            "wait_time_days": _("From the first call to the first session; 0 for no wait."),
            "intake_process": "",
        }

    def __init__(self, data=None, *, program: Program):
        self.program = program
        self.live = updates.live_values(program)
        # The form writes the proposed values onto its instance as it validates: a copy, so
        # the program keeps its live values (its website decides the email's match).
        super().__init__(data, instance=copy.copy(program), label_suffix="")
        _blank_choice_says(self.fields["intake_process"], NOT_GIVEN)
        self.tracks = TrackFormSet(
            data,
            initial=[updates.track_value(track) for track in program.tracks.all()],
            prefix="track",
        )
        self.changes = {}

    def clean(self):
        cleaned = super().clean()
        if not self.tracks.is_valid():
            raise ValidationError(_("Please check the schedule tracks."))
        return cleaned

    def _post_clean(self):
        # After the model's own checks (a cost's "up to" at least its "from"), so that the
        # changes are read from valid values only.
        super()._post_clean()
        if self._errors:
            return
        proposed = updates.values(
            self.instance,
            tracks=self.tracks.tracks(),
            terms={name: self.cleaned_data[name] for name in ("payment_kinds", "insurers")},
        )
        self.changes = updates.changed(self.live, proposed)
        if not self.changes:
            self.add_error(
                None,
                _(
                    "Nothing here differs from the listing yet. Change what is out of date, "
                    "then send the update."
                ),
            )

    def sender(self) -> dict:
        return {
            "sender_name": self.cleaned_data["sender_name"],
            "sender_role": self.cleaned_data["sender_role"],
            "sender_email": self.cleaned_data["sender_email"],
        }


class ReviewForm(forms.Form):
    """A curator accepts or rejects each proposed change; each needs an answer."""

    def __init__(self, data=None, *, items):
        super().__init__(data)
        for item in items:
            self.fields[item.name] = forms.ChoiceField(
                label=item.label,
                choices=[
                    (ListingUpdate.Decision.ACCEPTED, _("Accept")),
                    (ListingUpdate.Decision.REJECTED, _("Reject")),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": _("Accept or reject this change.")},
            )

    def accepted(self) -> set[str]:
        return {
            name
            for name, decision in self.cleaned_data.items()
            if decision == ListingUpdate.Decision.ACCEPTED
        }
