from django import forms
from django.utils.translation import gettext_lazy as _

from corrections.models import CorrectionReport


class CorrectionReportForm(forms.ModelForm):
    # Declared so the radio buttons carry no empty "---------" choice.
    problem = forms.ChoiceField(
        label=_("What is wrong?"),
        # "No longer in SAMHSA's directory" is the import's to file, not a visitor's.
        choices=[
            choice
            for choice in CorrectionReport.Problem.choices
            if choice[0] != CorrectionReport.Problem.NOT_LISTED
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong.")},
    )

    class Meta:
        model = CorrectionReport
        fields = ["problem", "details", "contact_email"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 4}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "details": _("What should it say?"),
            "contact_email": _("Your email (optional)"),
        }
        help_texts = {
            "details": _("For example: “The evening group now meets Monday to Thursday.”"),
            "contact_email": _("Only if you are happy for a curator to ask you a question."),
        }
        error_messages = {
            "details": {
                "required": _("Tell us what is wrong, in a few words."),
                "max_length": _("Please keep it under %(limit_value)d characters."),
            },
            "contact_email": {"invalid": _("Enter an email address like name@example.com.")},
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_details(self):
        details = self.cleaned_data["details"].strip()
        if not details:
            raise forms.ValidationError(_("Tell us what is wrong, in a few words."))
        return details
