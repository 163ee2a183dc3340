from django import template

from programs import display, search_page

register = template.Library()

register.filter("schedule_line", display.schedule_line)
register.filter("cost_line", display.cost_line)


@register.simple_tag
def program_card(program, near=""):
    """The result card (jinja_templates/programs/card.html), for pages in Django's templates."""
    return search_page.card(program, near=near)
