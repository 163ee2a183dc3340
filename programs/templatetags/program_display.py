from django import template
from django.utils.translation import gettext

from programs import display, questions, search_page

register = template.Library()

register.filter("schedule_line", display.schedule_line)
register.filter("cost_line", display.cost_line)
register.filter("miles", display.miles)
register.filter("money_range", display.money_range)
register.filter("track_when", display.track_when)
register.filter("in_page_language", display.in_page_language)
# {% availability program as availability %}: whether it takes new clients, confirmed when.
register.simple_tag(display.availability, name="availability")


@register.simple_tag
def program_card(program, near=""):
    """The result card (jinja_templates/programs/card.html), for pages in Django's templates."""
    return search_page.card(program, near=near)


@register.inclusion_tag("programs/includes/questions_to_ask.html")
def questions_to_ask():
    """The questions to ask when calling a program (programs/questions.py), and their source."""
    return {
        "questions": [
            {"topic": gettext(entry["topic"]), "question": gettext(entry["question"])}
            for entry in questions.QUESTIONS
        ],
        "source": questions.SOURCE,
    }
