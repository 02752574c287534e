"""A JSON list of choice values, edited as check boxes (posts, unit kinds)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """Stores a list of values drawn from `choices`, without duplicates, portable to SQLite and PostgreSQL."""

    def __init__(self, *args, choices=(), **kwargs):
        self.list_choices = list(choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices"] = self.list_choices
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("必须是列表。"), code="invalid")
        allowed = {c[0] for c in self.list_choices}
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValidationError(
                _("未知的取值：%(values)s。"), code="invalid_choice", params={"values": "、".join(map(str, unknown))}
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("取值重复。"), code="duplicate")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.list_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )
