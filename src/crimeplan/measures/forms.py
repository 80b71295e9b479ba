"""The form for entering or correcting a measure value; its checks are :mod:`entry`'s."""

from __future__ import annotations

from typing import Any

from django import forms

from crimeplan.measures.entry import (
    MONTH,
    CheckedValue,
    check_value,
    format_value,
    value_areas,
)
from crimeplan.measures.views_support import area_name

__all__ = ["MONTH", "ManualValueForm", "CorrectValueForm"]

VALUE_REQUIRED = {"required": "Enter the value"}
SOURCE_REQUIRED = {"required": "Enter where the value comes from"}


class AreaField(forms.ChoiceField):
    """A select of the measure's areas whose value :func:`check_value` judges, so a wrong
    area gets the same message from the form as from a file."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class ManualValueForm(forms.Form):
    """A new value for a month and area. ``replace`` is set by the page's "replace it" button,
    after it has said the month already has a value."""

    area = AreaField(label="Area", required=False)
    # Longer than the stored 7 characters so a wrong format gets the helpful message.
    # Each required message names its field, so two errors never read the same (GOV.UK pattern).
    period = forms.CharField(
        label="Month (YYYY-MM)",
        max_length=40,
        error_messages={"required": "Enter the month, for example 2025-03"},
    )
    # Text, so that every number problem gets the one validator's message.
    value = forms.CharField(label="Value", max_length=60, error_messages=VALUE_REQUIRED)
    source = forms.CharField(
        label="Where the value comes from", max_length=300, error_messages=SOURCE_REQUIRED
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, measure: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["area"].choices = [(a, area_name(a)) for a in value_areas(measure)]
        self.checked: CheckedValue | None = None

    @property
    def several_areas(self) -> bool:
        return len(self.fields["area"].choices) > 1

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(name in self.errors for name in ("period", "value")):
            return data
        checked, problems = check_value(
            self.measure, data.get("area"), data.get("period"), data.get("value")
        )
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        self.checked = checked
        return data


class CorrectValueForm(forms.Form):
    """A correction to a stored value: its month and area stay, so it names the same point."""

    value = forms.CharField(label="Value", max_length=60, error_messages=VALUE_REQUIRED)
    source = forms.CharField(
        label="Where the value comes from", max_length=300, error_messages=SOURCE_REQUIRED
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, entered: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"value": format_value(entered.value), "source": entered.source, "note": entered.note},
        )
        super().__init__(*args, **kwargs)
        self.entered = entered
        self.checked: CheckedValue | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "value" in self.errors:
            return data
        checked, problems = check_value(
            self.entered.measure, self.entered.area, self.entered.period, data.get("value")
        )
        for problem in problems:
            self.add_error("value" if problem.field == "value" else None, problem.message)
        self.checked = checked
        return data
