from django import forms

from crimeplan.plans.models import Commitment, Plan


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "status", "vision"]


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text"]
