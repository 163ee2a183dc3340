"""Curators review updates from programs: each change beside what the listing says now,
accepted or rejected one by one; the accepted ones reach the listing together."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from corrections import update_selectors, update_services
from corrections.models import ListingUpdate
from corrections.update_forms import ReviewForm


@admin.register(ListingUpdate)
class ListingUpdateAdmin(admin.ModelAdmin):
    list_display = ["confirmed_at", "program", "sent_by", "email_matches", "status"]
    list_filter = ["status", "email_matches_website"]
    search_fields = ["program__name", "sender_name", "sender_email"]
    date_hierarchy = "confirmed_at"

    def get_queryset(self, request):
        return update_selectors.updates_for_curators()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sent by"))
    def sent_by(self, update):
        return f"{update.sender_name}, {update.sender_role} ({update.sender_email})"

    @admin.display(description=_("email matches the program's website"), boolean=True)
    def email_matches(self, update):
        return update.email_matches_website

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review: every change beside the listing's value, with Accept and Reject."""
        update = self.get_object(request, unquote(object_id))
        if update is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, update):
            raise PermissionDenied
        may_review = self.has_change_permission(request, update)
        to_review = update.status == ListingUpdate.Status.NEW and may_review
        posted = request.method == "POST"
        if posted and not may_review:
            raise PermissionDenied
        form = ReviewForm(
            request.POST if posted and to_review else None,
            items=update_selectors.changed_items(update),
        )
        if posted and not to_review:
            self.message_user(request, gettext("This update is already reviewed."), messages.INFO)
            return HttpResponseRedirect(request.path)
        if posted and form.is_valid():
            try:
                update_services.review_update(
                    update=update, accepted=form.accepted(), curator=request.user
                )
            except update_services.AlreadyReviewed:
                self.message_user(
                    request,
                    gettext("Another curator reviewed this update first."),
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    gettext("Decisions saved: the accepted changes are on the listing."),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        rows = update_selectors.review_rows(update)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Update from the program: %(name)s") % {"name": update.program.name},
            "update": update,
            "original": update,
            "rows": [(row, form[row.item.name] if to_review else None) for row in rows],
            "form": form if to_review else None,
            "program_admin_url": reverse("admin:programs_program_change", args=[update.program_id]),
            "program_page_url": reverse("programs:detail", args=[update.program_id]),
        }
        return TemplateResponse(
            request,
            "admin/corrections/listingupdate/review.html",
            context,
            status=400 if posted else 200,
        )
