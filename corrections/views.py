"""The public's report of incorrect information, posted from a program page; the curators'
queue."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from corrections import limits, queue, services
from corrections.forms import CorrectionReportForm
from programs.views_pages import program_page, published_or_404

KIND = "report"


@require_http_methods(["GET", "POST"])
def report_correction(request, pk):
    program = published_or_404(pk)
    if request.method == "GET":
        # Links back to a re-shown form (language switch, reload) land on the program page.
        return redirect(reverse("programs:detail", args=[program.pk]) + "#report")
    form = CorrectionReportForm(request.POST)
    wait = limits.wait_before_submitting(request, KIND)
    if wait:
        form.add_error(
            None,
            _(
                "Thank you for your help. You have sent several reports in the last hour, "
                "so we cannot take another one just now. Please try again later."
            ),
        )
        response = program_page(request, program, status=429, report_form=form)
        response["Retry-After"] = str(wait)
        return response
    if not form.is_valid():
        # The program page again, its report form open with the answers and what to fix.
        return program_page(request, program, status=400, report_form=form)
    services.submit_correction(program=program, **form.cleaned_data)
    limits.note_submission(request, KIND)
    messages.success(
        request,
        _("Thank you. A curator will check this listing and correct it if needed."),
    )
    return redirect("programs:detail", pk=program.pk)


def curator_queue(request):
    """The curators' one queue (corrections/queue.py), inside the admin."""
    if not request.user.has_perm("programs.view_program"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("What to check first"),
        "parts": queue.curator_queue(timezone.localdate()),
    }
    return TemplateResponse(request, "admin/curator_queue.html", context)
