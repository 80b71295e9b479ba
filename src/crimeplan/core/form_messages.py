"""Error messages that say which field and what to do, as the GOV.UK pattern asks.

Django's own "This field is required." repeated in an error summary tells a reader nothing:
each required field that keeps Django's wording says "Enter the <label>" (or "Choose the
<label>" for a list) instead. A form's own wording for a field is left alone.
"""

from __future__ import annotations

from typing import Any

from django import forms

DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
CHOICE_WIDGETS = (forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxInput)


class NamedRequiredMessages:
    """Mix into a form (first among its bases) to name each required field in its message."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            if str(field.error_messages.get("required")) != str(DJANGO_REQUIRED):
                continue
            label = str(field.label or name.replace("_", " "))
            verb = "Choose" if isinstance(field.widget, CHOICE_WIDGETS) else "Enter"
            field.error_messages["required"] = f"{verb} the {label[:1].lower()}{label[1:]}"
