from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    unit = forms.CharField(required=False)
