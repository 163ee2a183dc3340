from django import template

from programs import display

register = template.Library()

register.filter("schedule_line", display.schedule_line)
register.filter("cost_line", display.cost_line)
