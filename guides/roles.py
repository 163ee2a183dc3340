"""The two staff roles. Groups hold the permissions; code checks permissions, not names."""

GUIDES = "guides"
CURATORS = "curators"

# Taking calls: every page under /guides/ needs it (guides group only).
WORK_WITH_CALLERS = "guides.work_with_callers"

# What each group may do, as "app_label.codename". Curators keep the catalogue in the
# admin and read the audit log; they never see caller records unless also guides.
GROUP_PERMISSIONS = {
    GUIDES: ["guides.work_with_callers"],
    CURATORS: [
        "guides.view_auditentry",
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
    return user.is_authenticated and user.is_active and user.has_perm(WORK_WITH_CALLERS)
