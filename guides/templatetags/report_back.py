from django import template

from guides.forms import ReportBack, ReportBackForm

register = template.Library()


@register.simple_tag(takes_context=True)
def report_back(context, program, referral=None) -> ReportBack:
    """{% report_back program referral as report %}: the "What did the program say?" form of
    one match (or referral) on the call page; the rejected one as sent, with its errors."""
    anchor = f"referral-{referral.pk}" if referral else f"match-{program.pk}"
    rejected = context.get("report_back_rejected")
    if rejected and rejected.anchor == anchor:
        return rejected
    saved = context.get("reported") == anchor
    return ReportBack(anchor, ReportBackForm(prefix=anchor), saved=saved)
