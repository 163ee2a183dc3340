"""Where reports show on the programs app's pages, without the programs app importing this one:
the form on the public program page and the open reports on the program's admin page."""

from django import template

from corrections import selectors
from corrections.forms import CorrectionReportForm

register = template.Library()


@register.inclusion_tag("corrections/report_form.html", takes_context=True)
def correction_report_form(context, program):
    """The form at the foot of a program page: empty, or as posted with what to fix when the
    report view shows the page again (corrections/views.py passes it as report_form)."""
    return {"program": program, "report_form": context.get("report_form") or CorrectionReportForm()}


@register.inclusion_tag("admin/corrections/open_reports.html", takes_context=True)
def open_correction_reports(context, program):
    """The program's unresolved reports, each linked, for staff who may read reports."""
    if not context["request"].user.has_perm("corrections.view_correctionreport"):
        return {"reports": []}
    return {"reports": list(selectors.open_reports(program=program))}
