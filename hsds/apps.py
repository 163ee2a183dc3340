from django.apps import AppConfig


class HsdsConfig(AppConfig):
    name = "hsds"
    verbose_name = "Open Referral HSDS"
