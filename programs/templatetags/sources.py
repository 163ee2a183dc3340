from django import template

from programs import sources

register = template.Library()

# {{ "003_6f45defad1b00d45.txt"|source_titles }} or {{ reason.source|source_titles }}: the
# titles people read in place of the file names code cites.
register.filter("source_titles", sources.titles)
