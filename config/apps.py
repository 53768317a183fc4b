from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting pieces: roles and their permissions, auth pages, home, health."""

    name = "config"
    label = "core"
    verbose_name = _("Plattform")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import roles

        post_migrate.connect(roles.sync_role_permissions_signal, sender=self)
