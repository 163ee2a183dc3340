"""A program's staff update its listing: the form (no account), then the one-time link in the
email that sends the update to the curators."""

import smtplib

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from corrections import limits, update_selectors, update_services
from corrections.update_forms import ListingUpdateForm
from programs.models import Program

KIND = "update"


def _program_or_404(pk: int) -> Program:
    try:
        return update_selectors.program_to_update(pk=pk)
    except Program.DoesNotExist as missing:
        raise Http404 from missing


def _form_page(request, form, *, status=200):
    return render(
        request,
        "corrections/update_form.html",
        {"program": form.program, "form": form, "tracks": form.tracks},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def update_listing(request, pk):
    program = _program_or_404(pk)
    if request.method == "GET":
        return _form_page(request, ListingUpdateForm(program=program))
    form = ListingUpdateForm(request.POST, program=program)
    wait = limits.wait_before_submitting(request, KIND)
    if wait:
        form.add_error(
            None,
            _(
                "Thank you. You have sent several updates in the last hour, so we cannot "
                "take another one just now. Please try again later."
            ),
        )
        response = _form_page(request, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    if form.is_valid() and update_selectors.too_many_links_to(
        email=form.cleaned_data["sender_email"]
    ):
        form.add_error(
            "sender_email",
            _(
                "We have sent several links to this address today. Please use one of them, "
                "or try again tomorrow."
            ),
        )
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        update_services.submit_update(
            program=program,
            **form.sender(),
            changes=form.changes,
            site_url=request.build_absolute_uri("/"),
        )
    except (smtplib.SMTPException, OSError):
        form.add_error(
            None, _("We could not send the email just now. Please try again in a few minutes.")
        )
        return _form_page(request, form, status=503)
    limits.note_submission(request, KIND)
    return redirect("listing_updates:sent", pk=program.pk)


@require_GET
def update_sent(request, pk):
    context = {"program": _program_or_404(pk), "hours": settings.LISTING_UPDATE_LINK_HOURS}
    return render(request, "corrections/update_sent.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_update(request, token):
    """GET shows what the link confirms and a button; the POST confirms. Mail scanners that
    open every link in an email then cannot use it up."""
    link = update_selectors.link(token=token)
    if request.method == "POST" and link.state == update_selectors.READY:
        if update_services.confirm_update(update=link.update):
            messages.success(
                request,
                _(
                    "Thank you. Your update is with our curators: they check each change "
                    "before it appears on the listing."
                ),
            )
            return redirect("programs:detail", pk=link.update.program_id)
        link = update_selectors.link(token=token)
    status = {update_selectors.READY: 200, update_selectors.UNKNOWN: 404}.get(link.state, 410)
    context = {"link": link, "hours": settings.LISTING_UPDATE_LINK_HOURS}
    if link.update is not None:
        context["items"] = update_selectors.changed_items(link.update)
    return render(request, "corrections/update_confirm.html", context, status=status)
