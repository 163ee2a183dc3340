from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from corrections import services
from corrections.models import CorrectionReport


@admin.register(CorrectionReport)
class CorrectionReportAdmin(admin.ModelAdmin):
    """Curators read what visitors reported, fix the listing, then mark the report resolved."""

    list_display = ["created_at", "program_link", "problem", "short_details", "status"]
    list_filter = ["status", "problem"]
    list_select_related = ["program"]
    search_fields = ["program__name", "details"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved", "reopen"]
    fields = [
        "program_link",
        "public_page_link",
        "problem",
        "details",
        "contact_email",
        "created_at",
        "status",
        "resolved_by",
        "resolved_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("program"), ordering="program__name")
    def program_link(self, report):
        url = reverse("admin:programs_program_change", args=[report.program_id])
        return format_html('<a href="{}">{}</a>', url, report.program.name)

    @admin.display(description=_("public page"))
    def public_page_link(self, report):
        url = reverse("programs:detail", args=[report.program_id])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("details"))
    def short_details(self, report):
        return report.details if len(report.details) <= 80 else f"{report.details[:79]}…"

    @admin.action(description=_("Mark the selected reports resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = services.resolve_corrections(reports=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reopen the selected reports"), permissions=["change"])
    def reopen(self, request, queryset):
        count = services.reopen_corrections(reports=queryset)
        self.message_user(
            request,
            ngettext("%(count)d report reopened.", "%(count)d reports reopened.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# Updates from programs, reviewed change by change (registered on import).
from corrections import admin_updates  # noqa: E402, F401

# The admin's front page leads to the curators' one queue (corrections/queue.py).
admin.site.index_template = "admin/iopfinder_index.html"
