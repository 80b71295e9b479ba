from __future__ import annotations

from django import forms

from crimeplan.governance.models import Decision
from crimeplan.governance.quarters import Quarter


class GenerateForm(forms.Form):
    quarter = forms.CharField(label="Quarter (for example 2025-Q2)", max_length=7)

    def clean_quarter(self) -> str:
        try:
            return str(Quarter.parse(self.cleaned_data["quarter"]))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class CompareForm(forms.Form):
    before = forms.IntegerField()
    after = forms.IntegerField()


class DecisionStatusForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["status", "closed_on", "note"]

    def clean(self):
        data = super().clean()
        if data.get("status") in Decision.CLOSED and not data.get("closed_on"):
            self.add_error("closed_on", "Say when the item was closed (YYYY-MM-DD).")
        if data.get("status") not in Decision.CLOSED:
            data["closed_on"] = None
        return data
