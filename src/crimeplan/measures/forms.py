import re

from django import forms

from crimeplan.measures.models import ManualValue

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ManualValueForm(forms.ModelForm):
    # Longer than the stored 7 characters so a wrong format gets the helpful message below.
    period = forms.CharField(
        label="Month (YYYY-MM)",
        max_length=40,
        error_messages={"required": "Enter the month, for example 2025-03"},
    )

    class Meta:
        model = ManualValue
        fields = ["period", "value", "source", "note"]
        labels = {"period": "Month (YYYY-MM)", "source": "Where the value comes from"}
        # Each message names its field, so two errors never read the same (GOV.UK pattern).
        error_messages = {
            "value": {"required": "Enter the value", "invalid": "Enter the value as a number"},
            "source": {"required": "Enter where the value comes from"},
        }

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        if not MONTH.match(period):
            raise forms.ValidationError("Enter the month as YYYY-MM, for example 2025-03")
        return period
