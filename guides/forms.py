import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides import keystore
from guides.consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from guides.models import Caller, Referral
from programs import vocabulary
from programs.models import PaymentKind
from programs.places import place_of_zip

TIMES_OF_DAY = [(slug, _(label)) for slug, label in vocabulary.TIMES_OF_DAY.items()]

# A phone number as people write it: digits and separators, a leading +, maybe an extension.
WRITTEN_PHONE = re.compile(
    r"\s*\+?[\d\s().\-]+(?:(?:x|ext\.?|extension|#)\s*\d+)?\s*", re.IGNORECASE
)
# North American numbers: neither the area code nor the exchange starts with 0 or 1.
NANP_NUMBER = re.compile(r"[2-9]\d\d[2-9]\d{6}")


class CallerForm(forms.ModelForm):
    """The caller's details and needs, as the guide takes them on the phone."""

    payment_kinds = forms.ModelMultipleChoiceField(
        PaymentKind.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("How they can pay"),
    )
    times_of_day = forms.MultipleChoiceField(
        choices=TIMES_OF_DAY,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Times they can attend"),
    )

    class Meta:
        model = Caller
        fields = [
            "alias",
            "phone",
            "zip_code",
            "radius_miles",
            "payment_kinds",
            "insurer",
            "times_of_day",
            "hours_per_week_max",
            "focus",
            "population",
            "language",
            "telehealth_ok",
            "notes",
        ]
        widgets = {
            "alias": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "zip_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "alias": _("Whatever they are happy to give."),
            "notes": _("Only what helps the next guide. No diagnoses."),
        }

    # When the record was last saved as this form shows it: a save over a colleague's newer
    # changes is stopped and shown (CallerForm.saved_since_loaded).
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["insurer", "population", "language"]:
            self.fields[name].empty_label = _("Not given")
        self.fields["focus"].choices = [("", _("Not given")), *self.fields["focus"].choices[1:]]
        if self.instance.pk:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()

    def changed_answers(self) -> list[str]:
        """The caller's answers this form changes (not its own bookkeeping field)."""
        return [name for name in self.changed_data if name != "loaded_at"]

    def saved_since_loaded(self) -> bool:
        """True when someone saved the record after this form was loaded."""
        loaded = self.data.get("loaded_at")
        return bool(self.instance.pk and loaded and loaded != self.instance.updated_at.isoformat())

    def clean_phone(self):
        written = self.cleaned_data["phone"].strip()
        if written and not (
            WRITTEN_PHONE.fullmatch(written)
            and NANP_NUMBER.fullmatch(keystore.phone_digits(written))
        ):
            raise forms.ValidationError(_("Enter a phone number like 510-555-0199."))
        return written

    def clean_zip_code(self):
        zip_code = self.cleaned_data["zip_code"]
        if place_of_zip(zip_code) is None:
            raise forms.ValidationError(
                _("We do not know this ZIP code. Check it with the caller.")
            )
        return zip_code


class NewCallerForm(CallerForm):
    """A new record: refused, and nothing stored, unless the caller agreed."""

    consent = forms.BooleanField(
        required=True,
        label=_("The caller agreed, on the phone, to us keeping these details"),
        error_messages={
            "required": _(
                "Nothing was saved. Read the consent statement to the caller and tick this box "
                "only if they agree. Without consent, help them with the public search instead."
            )
        },
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CURRENT_CONSENT_VERSION)

    field_order = ["consent", *CallerForm.Meta.fields]

    @property
    def consent_text(self) -> str:
        return _(CONSENT_TEXTS[CURRENT_CONSENT_VERSION])

    def clean(self):
        cleaned = super().clean()
        # A form opened before the wording changed must be read again with the new wording.
        if cleaned.get("consent_version") != CURRENT_CONSENT_VERSION:
            raise forms.ValidationError(
                _("The consent statement has changed. Read the new wording to the caller.")
            )
        return cleaned


class ReferralForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What happened, in a few words."),
    )

    class Meta:
        model = Referral
        fields = ["status", "follow_up_on"]
        widgets = {"follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CallerListFilter(forms.Form):
    CHECKS = ["mine", "open_referrals", "follow_up_due"]

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Find a caller"),
        help_text=_("First name or alias, phone, or record number"),
    )
    mine = forms.BooleanField(required=False, label=_("My callers"))
    open_referrals = forms.BooleanField(required=False, label=_("With open referrals"))
    follow_up_due = forms.BooleanField(required=False, label=_("Follow-up due"))


NOTHING_ABOUT_THE_CALLER = _(
    "Only what the program said. Do not write anything about the caller: this goes to our curators."
)


class ReportBackForm(forms.Form):
    """What a program told a guide on the phone: whether it takes new clients (and its next
    intake and wait), and what changed in its schedule or cost. Nothing about the caller."""

    accepting = forms.TypedChoiceField(
        label=_("Taking new clients?"),
        choices=[
            ("yes", _("Yes")),
            ("no", _("No, full for now")),
            ("", _("They did not say")),
        ],
        coerce={"yes": True, "no": False}.get,
        empty_value=None,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    next_intake = forms.DateField(
        label=_("Next intake"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When full: the day they take new clients again."),
        error_messages={"invalid": _("Enter the date like 2027-03-03.")},
    )
    wait_days = forms.IntegerField(
        label=_("Wait in days"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("About how long until a new client starts; 0 for no wait."),
        error_messages={
            "invalid": _("Enter the wait as a whole number of days."),
            "min_value": _("Enter the wait as a whole number of days."),
            "max_value": _("Enter a wait of at most %(limit_value)s days."),
        },
    )
    schedule_changes = forms.CharField(
        label=_("What changed in the schedule"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTHING_ABOUT_THE_CALLER,
    )
    cost_changes = forms.CharField(
        label=_("What changed in the cost"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTHING_ABOUT_THE_CALLER,
    )

    def clean_next_intake(self):
        next_intake = self.cleaned_data["next_intake"]
        if next_intake is not None and next_intake < timezone.localdate():
            raise forms.ValidationError(_("The next intake cannot be in the past."))
        return next_intake

    def clean(self):
        cleaned = super().clean()
        said = cleaned.get("accepting") is not None
        if not said and (cleaned.get("next_intake") or cleaned.get("wait_days") is not None):
            raise forms.ValidationError(
                _("Say whether they are taking new clients, with the next intake or the wait.")
            )
        changes = cleaned.get("schedule_changes") or cleaned.get("cost_changes")
        if not self.errors and not said and not changes:
            raise forms.ValidationError(
                _("Nothing to save: say whether they take new clients, or what changed.")
            )
        return cleaned


# Where a "What did the program say?" form sits on the call page: a match or a referral.
REPORT_ANCHOR = re.compile(r"(match|referral)-\d+")


@dataclass(frozen=True)
class ReportBack:
    """One match's or referral's "What did the program say?" form on the call page. Its
    anchor (the item's id) is the form's prefix and where the page returns after saving."""

    anchor: str
    form: ReportBackForm
    saved: bool = False


class SendListForm(forms.Form):
    """Sending the caller their list by one channel, with their agreement to it. The email
    address is for this sending only: it is not kept."""

    email = forms.EmailField(
        label=_("Their email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter the caller's email address."),
            "invalid": _("Enter a valid email address, like name@example.com."),
        },
    )
    consent = forms.BooleanField(required=True)

    CONSENT = {
        "email": (
            _("The caller agreed to receive their list by email"),
            _("Tick that the caller agreed to receive their list by email."),
        ),
        "text": (
            _("The caller agreed to receive their list by text message"),
            _("Tick that the caller agreed to receive their list by text message."),
        ),
    }

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, prefix=f"send-{channel}", **kwargs)
        self.channel = channel
        if channel != "email":
            del self.fields["email"]
        label, missing = self.CONSENT[channel]
        self.fields["consent"].label = label
        self.fields["consent"].label_suffix = ""
        self.fields["consent"].error_messages["required"] = missing


class DangerHandledForm(forms.Form):
    """How the guide dealt with a caller in danger now. Only this choice is kept (in the
    audit log): never what the caller said."""

    HOW = {
        "called_911": _("Called 911, or someone with them did"),
        "transfer_988": _("Warm transfer to 988: stayed on until 988 answered"),
        "safe_now": _("Stayed with them: they are safe now and want to go on"),
        "not_in_danger": _("Ticked by mistake: they are not in danger"),
    }

    handled = forms.ChoiceField(
        label=_("How was it handled?"),
        choices=list(HOW.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it was handled.")},
    )
