"""The two staff roles. Groups hold the permissions; code checks permissions, not names."""

GUIDES = "guides"
CURATORS = "curators"

# Taking calls: every page under /guides/ needs it (guides group only).
WORK_WITH_CALLERS = "guides.work_with_callers"

# What each group may do, as "app_label.codename". Curators keep the catalogue in the
# admin, resolve the public's correction reports and read the audit log; they never see
# caller records unless also guides. A new entry here needs a migration that calls
# sync_staff_groups (guides/0007), depending on the migration that made its model.
GROUP_PERMISSIONS = {
    GUIDES: ["guides.work_with_callers"],
    CURATORS: [
        "guides.view_auditentry",
        "corrections.view_correctionreport",
        "corrections.change_correctionreport",
        "corrections.view_listingupdate",
        "corrections.change_listingupdate",
        "programs.view_program",
        "programs.add_program",
        "programs.change_program",
        "programs.view_provider",
        "programs.add_provider",
        "programs.change_provider",
        "programs.view_site",
        "programs.add_site",
        "programs.change_site",
        "programs.view_scheduletrack",
        "programs.add_scheduletrack",
        "programs.change_scheduletrack",
        "programs.delete_scheduletrack",
    ],
}


def is_guide(user) -> bool:
    """Members of the guides group only. Superusers are not guides by default: caller
    records are health information, so an admin account must be given the role openly."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return user.groups.filter(name=GUIDES).exists()
    return user.has_perm(WORK_WITH_CALLERS)


def sync_staff_groups(*, apps=None) -> None:
    """Create the two groups with their permissions (idempotent). `apps` is a migration's."""
    from django.contrib.auth.management import create_permissions

    migrating = apps is not None
    if apps is None:
        from django.apps import apps as installed_apps

        apps = installed_apps
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
    else:
        # In a migration, permissions are normally created after all migrations run.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None and migrating:
                # Its model's migration has not run yet: the later migration that depends
                # on it syncs again. tests/corrections/test_curator_access.py checks the
                # group ends up with every permission listed.
                continue
            if permission is None:
                raise Permission.DoesNotExist(code)
            group.permissions.add(permission)
