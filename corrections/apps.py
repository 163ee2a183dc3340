from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectionsConfig(AppConfig):
    name = "corrections"
    verbose_name = _("Reports of incorrect information")

    def ready(self):
        from corrections import receivers  # noqa: F401  (connects the catalogue's signals)
