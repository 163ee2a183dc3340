"""Curation of the catalogue in the Django admin: staff users check, edit and publish listings."""

from csp.constants import UNSAFE_HASHES
from csp.decorators import csp_update
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from programs import display, levels, services, vocabulary
from programs.models import (
    Accreditation,
    AvailabilitySource,
    Insurer,
    Language,
    PaymentKind,
    Population,
    Program,
    Provider,
    ScheduleTrack,
    Service,
    Site,
)

# The one style attribute of django-simple-history's history list ("border-top: 0").
HISTORY_LIST_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"

admin.site.site_header = _("IOP Finder curation")
admin.site.site_title = _("IOP Finder curation")
admin.site.index_title = _("Catalogue")
# The program list is wide; the app list stays one click away on the home page.
admin.site.enable_nav_sidebar = False

# Curators paste addresses without a scheme; read them as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}

# The program fields services.refresh_schedule_summary derives from the tracks.
SCHEDULE_SUMMARY_FIELDS = tuple(services.schedule_summary([]))


SHORT_LEVEL_NAMES = {
    levels.PHP: _("PHP"),
    levels.IOP: _("IOP"),
    levels.OUTPATIENT: _("Outpatient"),
}


def weekly_hours(program) -> str:
    if not program.schedule_known:
        return gettext("Not yet verified")
    low = floatformat(program.hours_per_week_min, "-1")
    high = floatformat(program.hours_per_week_max, "-1")
    return low if low == high else f"{low}-{high}"


def usual_band(level: str) -> str:
    """The level's hours-per-week band in words, from levels.HOURS_PER_WEEK_BANDS."""
    band = levels.HOURS_PER_WEEK_BANDS[level]
    if band["min"] is not None and band["max"] is not None:
        return gettext("%(min)s-%(max)s hours a week") % band
    if band["min"] is not None:
        return gettext("%(min)s or more hours a week") % band
    return gettext("under %(max)s hours a week") % band


def band_warning(program) -> str:
    """What a curator reads when a program's hours fall outside its level's band ('' if not)."""
    if not program.outside_level_band:
        return ""
    return gettext(
        "%(level)s programs usually run %(band)s; this one runs %(hours)s. Check the schedule."
    ) % {
        "level": program.get_level_of_care_display(),
        "band": usual_band(program.level_of_care),
        "hours": weekly_hours(program),
    }


def selected(queryset):
    """The chosen programs, as a plain queryset the services can lock row by row.

    With a payment filter the changelist's queryset is DISTINCT, and PostgreSQL
    refuses SELECT ... FOR UPDATE on a DISTINCT query.
    """
    return Program.objects.filter(pk__in=queryset.values("pk"))


class HistoryChanges(HistoricalRecordContextHelper):
    """An empty foreign key reads "—" in the change history. simple-history shows it as a
    deleted object, so a listing's first verification read "Deleted user (pk=None)"."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, DeletedObject) and value.pk is None:
            return "—"
        return super().prepare_delta_change_value(change, value)


class VerificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("Stale (not verified recently, or never)")),
            ("current", _("Verified recently")),
        ]

    def queryset(self, request, queryset):
        stale = Program.objects.stale().values("pk")
        if self.value() == "stale":
            return queryset.filter(pk__in=stale)
        if self.value() == "current":
            return queryset.exclude(pk__in=stale)
        return queryset


class LevelBandFilter(admin.SimpleListFilter):
    title = _("hours for the level of care")
    parameter_name = "level_band"

    def lookups(self, request, model_admin):
        return [
            ("outside", _("Outside the level's usual hours")),
            ("inside", _("Within the usual hours, or not known")),
        ]

    def queryset(self, request, queryset):
        outside = Program.objects.outside_level_band().values("pk")
        if self.value() == "outside":
            return queryset.filter(pk__in=outside)
        if self.value() == "inside":
            return queryset.exclude(pk__in=outside)
        return queryset


class ScheduleTrackInline(admin.TabularInline):
    model = ScheduleTrack
    extra = 1
    fields = list(ScheduleTrack.ENTERED)
    # The browser's own time picker: a phone shows its clock wheel.
    formfield_overrides = {
        models.TimeField: {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "weekdays":
            # Each box is labelled with its day.
            return forms.MultipleChoiceField(
                label=capfirst(db_field.verbose_name),
                choices=list(display.WEEKDAY_ABBREVIATIONS.items()),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            # A tabular row labels its inputs only in the column headings;
            # screen readers need the name on each input.
            field.widget.attrs["aria-label"] = capfirst(db_field.verbose_name)
        return field


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    # What decides a curator's next step first; the long provider name last.
    list_display = [
        "name",
        "level",
        "status",
        "needs_a_look",
        "place",
        "hours_per_week",
        "cost",
        "last_verified_on",
        "provider",
    ]
    list_select_related = ["provider", "site"]
    list_filter = [
        "level_of_care",
        ("site__state", admin.AllValuesFieldListFilter),
        "status",
        "payment_kinds",
        VerificationFilter,
        LevelBandFilter,
        "source",
        "is_sample",
    ]
    search_fields = [
        "name",
        "provider__name",
        "site__city",
        "^site__zip_code",
        "=external_key",
    ]
    search_help_text = _("Search by program or provider name, city, ZIP code or external key.")
    autocomplete_fields = ["provider", "site"]
    inlines = [ScheduleTrackInline]
    save_on_top = True
    # The vocabularies are short lists: ticking boxes beats a two-pane chooser.
    formfield_overrides = {
        **URL_FIELDS,
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    actions = ["publish", "archive", "mark_verified_today"]
    readonly_fields = [
        "schedule",
        "hours_per_week",
        "level_band_warning",
        "source",
        "external_key",
        "last_verified_on",
        "last_verified_by",
    ]
    fieldsets = [
        (
            _("Listing"),
            {
                "fields": [
                    "name",
                    "provider",
                    "level_of_care",
                    "focus",
                    "format",
                    ("description", "description_es"),
                ]
            },
        ),
        (
            _("Schedule"),
            {
                "description": _(
                    "Worked out from the schedule tracks just below each time you save. "
                    "Edit the tracks to change it."
                ),
                "fields": ["schedule", "hours_per_week", "level_band_warning"],
            },
        ),
        (_("Location & contact"), {"fields": ["site", "phone", "website"]}),
        (
            _("Cost & payment"),
            {
                "fields": [
                    ("cost_per_session_min", "cost_per_session_max"),
                    ("total_cost_min", "total_cost_max"),
                    ("cost_notes", "cost_notes_es"),
                    "payment_kinds",
                    "insurers",
                ]
            },
        ),
        (_("Services & people"), {"fields": ["services", "populations", "languages"]}),
        (
            _("Availability & trust"),
            {
                "fields": [
                    "intake_process",
                    ("intake_notes", "intake_notes_es"),
                    "accepting_new_clients",
                    ("next_intake_on", "wait_time_days"),
                    ("availability_as_of", "availability_source"),
                    "accreditations",
                    "license_number",
                ]
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "is_sample",
                    "source",
                    "external_key",
                    ("last_verified_on", "last_verified_by"),
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = set(form.changed_data)
        said = {"accepting_new_clients", "next_intake_on", "wait_time_days"}
        if said & changed and not {"availability_as_of", "availability_source"} & changed:
            # What a curator enters is as of today, from our curators, unless they said
            # when and from whom.
            services.record_availability(
                program=obj,
                accepting=obj.accepting_new_clients,
                next_intake=obj.next_intake_on,
                wait_days=obj.wait_time_days,
                source=AvailabilitySource.CURATOR,
                by=request.user,
            )

    @admin.display(description=_("level"), ordering="level_of_care")
    def level(self, program):
        return SHORT_LEVEL_NAMES[program.level_of_care]

    @admin.display(description=_("city / state"), ordering="site__city")
    def place(self, program):
        return f"{program.site.city}, {program.site.state}"

    @admin.display(description=_("hours/week"), ordering="hours_per_week_min")
    def hours_per_week(self, program):
        return weekly_hours(program)

    @admin.display(description=_("cost"))
    def cost(self, program):
        return display.cost_line(program) if program.cost_known else gettext("Not yet verified")

    @admin.display(description=_("schedule"))
    def schedule(self, program):
        if not program.schedule_known:
            return gettext("Not yet verified: add the schedule tracks just below.")
        return display.schedule_line(program)

    @admin.display(description=_("hours check"))
    def level_band_warning(self, program):
        warning = band_warning(program)
        if not warning:
            return gettext("Within the usual hours for this level, or not yet known.")
        return format_html('<strong class="errornote">{}</strong>', warning)

    @admin.display(description=_("needs a look"))
    def needs_a_look(self, program):
        markers = []
        if program.is_stale:
            markers.append(format_html('<strong class="stale">{}</strong>', gettext("Stale")))
        if program.outside_level_band:
            markers.append(
                format_html('<strong class="outside-band">{}</strong>', gettext("Check hours"))
            )
        return format_html_join(" ", "{}", ((marker,) for marker in markers))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        program = form.instance
        before = {field: getattr(program, field) for field in SCHEDULE_SUMMARY_FIELDS}
        services.refresh_schedule_summary(program=program)
        changed = [
            field for field in SCHEDULE_SUMMARY_FIELDS if getattr(program, field) != before[field]
        ]
        if changed:
            # refresh_schedule_summary writes with update(), which the change
            # history does not see; saving records who changed the schedule, and when.
            program.save(update_fields=[*changed, "updated_at"])
        # Payments, services and the rest are saved with the inlines: the public search
        # reads their copies on the program row.
        services.refresh_search_text(program=program)
        warning = band_warning(program)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    # Its one style attribute is allowed by its hash, on this page only.
    @method_decorator(csp_update({"style-src-attr": [UNSAFE_HASHES, HISTORY_LIST_STYLE]}))
    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """Add the schedule to each history entry's changes: simple-history leaves out
        the derived (non-editable) summary fields, so track edits would not show."""
        super().set_history_delta_changes(request, historical_records, **kwargs)
        records = list(historical_records)
        for record, previous in zip(records, records[1:], strict=False):
            old, new = display.schedule_line(previous), display.schedule_line(record)
            if old != new:
                record.history_delta_changes.append(
                    {"field": gettext("Schedule"), "old": old, "new": new}
                )

    def _report(self, request, *, done: int, chosen: int, message: str) -> None:
        self.message_user(request, message % {"count": done}, messages.SUCCESS)
        unchanged = chosen - done
        if unchanged:
            self.message_user(
                request,
                ngettext(
                    "%(count)d program already had that status.",
                    "%(count)d programs already had that status.",
                    unchanged,
                )
                % {"count": unchanged},
                messages.INFO,
            )

    @admin.action(description=_("Publish selected programs"), permissions=["change"])
    def publish(self, request, queryset):
        # Counted first: on a list filtered by status, the programs just published leave it.
        chosen = queryset.count()
        done = services.set_status(programs=selected(queryset), status=Program.Status.PUBLISHED)
        message = ngettext("Published %(count)d program.", "Published %(count)d programs.", done)
        self._report(request, done=done, chosen=chosen, message=message)

    @admin.action(description=_("Archive selected programs"), permissions=["change"])
    def archive(self, request, queryset):
        chosen = queryset.count()
        done = services.set_status(programs=selected(queryset), status=Program.Status.ARCHIVED)
        message = ngettext("Archived %(count)d program.", "Archived %(count)d programs.", done)
        self._report(request, done=done, chosen=chosen, message=message)

    @admin.action(description=_("Mark selected programs verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        done = services.mark_verified(programs=selected(queryset), user=request.user)
        self._verified(request, done)

    def _verified(self, request, done: int) -> None:
        self.message_user(
            request,
            ngettext(
                "Marked %(count)d program verified today.",
                "Marked %(count)d programs verified today.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )

    def get_urls(self):
        verified_today = self.admin_site.admin_view(require_POST(self.verified_today))
        return [
            path(
                "<path:object_id>/verified-today/",
                verified_today,
                name="programs_program_verified_today",
            ),
            *super().get_urls(),
        ]

    def verified_today(self, request, object_id):
        """The edit page's "Verified today" button: the list action, for this program."""
        program = self.get_object(request, unquote(object_id))
        if program is None:
            raise Http404
        if not self.has_change_permission(request, program):
            raise PermissionDenied
        done = services.mark_verified(
            programs=Program.objects.filter(pk=program.pk), user=request.user
        )
        self._verified(request, done)
        return redirect("admin:programs_program_change", program.pk)


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phone", "website"]
    search_fields = ["name"]
    formfield_overrides = URL_FIELDS

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The search reads the provider's name from a copy on each program row.
        services.refresh_search_index(programs=obj.programs.all())


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "provider", "city", "state", "zip_code"]
    list_select_related = ["provider"]
    list_filter = [("state", admin.AllValuesFieldListFilter)]
    search_fields = ["name", "provider__name", "city", "^zip_code"]
    autocomplete_fields = ["provider"]

    def get_queryset(self, request):
        # Site.__str__ falls back to the provider's name (also in autocomplete results).
        return super().get_queryset(request).select_related("provider")

    def save_model(self, request, obj, form, change):
        if {"latitude", "longitude"} & set(form.changed_data):
            obj.placed_at_zip = False  # a curator placed it: its distances are exact now
        super().save_model(request, obj, form, change)
        # The search reads the site's city, state and ZIP from a copy on each program row.
        services.refresh_search_index(programs=obj.programs.all())


class VocabularyAdmin(admin.ModelAdmin):
    """Terms come from programs/vocabulary.py and are fixed here: each slug is a public search
    parameter value and a bit in the search index (programs/search.py), so a new term is
    added there with a data migration that calls services.sync_vocabulary (then
    `manage.py refresh_search_index`), never in the admin. Deleting one would silently strip
    listings."""

    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.slug in vocabulary.TABLES[type(obj).__name__]:
            return ["slug", "name", "position"]
        if obj is not None:
            return ["slug"]
        return []

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for term_model in [PaymentKind, Insurer, Service, Population, Language, Accreditation]:
    admin.site.register(term_model, VocabularyAdmin)
