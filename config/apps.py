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
        self._strict_api_input()

    @staticmethod
    def _strict_api_input() -> None:
        """No silent coercion of input anywhere (config/fields.py, config/dates.py): every
        ModelSerializer builds ids, decimals and dates with the strict fields, and every
        model date field checks DATE_MIN..DATE_MAX (forms, admin and full_clean too)."""
        from django.db import models
        from rest_framework import serializers

        from . import dates, fields

        mapping = serializers.ModelSerializer.serializer_field_mapping
        mapping[models.DecimalField] = fields.DecimalField
        mapping[models.DateField] = dates.DateField
        serializers.ModelSerializer.serializer_related_field = fields.IdRelatedField
        dates.install_model_date_validators()
