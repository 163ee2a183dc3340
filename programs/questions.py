"""The questions to ask a program when calling it, and where they come from.

Plain data with no Django imports, read as a table: the NIAAA Alcohol Treatment Navigator's
"10 Questions to Ask Alcohol Treatment Programs", put in our own shorter words (the
Navigator's full wording, with the answers to listen for, is on its page). Labels are marked
for translation with a no-op marker and translated where they are shown.
"""


def _(text: str) -> str:
    """Marks a text for translation (gettext_noop); translated where shown."""
    return text


SOURCE = {
    "title": "NIAAA Alcohol Treatment Navigator",
    "url": "https://alcoholtreatment.niaaa.nih.gov/",
    # The page the list comes from, for a reviewer checking the wording.
    "page": (
        "https://alcoholtreatment.niaaa.nih.gov/how-to-find-alcohol-treatment/"
        "10-questions-for-alcohol-treatment-programs"
    ),
}

# All paraphrased. The first two follow the Navigator's first two (availability; cost and
# insurance); the others cover the rest of what it asks about: credentials, a full
# assessment, a tailored plan, evidence-based therapy, medication, family, relapse, and how
# success is measured and supported afterwards.
QUESTIONS = (
    {
        "topic": _("Starting"),
        "question": _("Are you taking new clients? How soon could I start?"),
    },
    {
        "topic": _("Cost"),
        "question": _(
            "What will it cost, and will my insurance cover it? Are there other charges?"
        ),
    },
    {
        "topic": _("Staff"),
        "question": _(
            "Are your counselors licensed and trained in addiction treatment? "
            "Is there a doctor I can see?"
        ),
    },
    {
        "topic": _("Assessment"),
        "question": _("Do you start with a full assessment of my health and my situation?"),
    },
    {
        "topic": _("A plan for me"),
        "question": _("Is the treatment plan made for me, and does it change as I go?"),
    },
    {
        "topic": _("Kinds of treatment"),
        "question": _("What kinds of therapy do you use? Are they backed by research?"),
    },
    {
        "topic": _("Medication"),
        "question": _(
            "Do you offer medication for alcohol or opioid use, or work with a doctor who does?"
        ),
    },
    {
        "topic": _("Family"),
        "question": _("Can my family or someone close to me take part?"),
    },
    {
        "topic": _("Setbacks"),
        "question": _("What happens if I drink or use again during treatment?"),
    },
    {
        "topic": _("Success and after"),
        "question": _(
            "How do you measure progress, and what support is there when the program ends?"
        ),
    },
)
