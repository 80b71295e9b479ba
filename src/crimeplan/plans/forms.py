from django import forms

from crimeplan.plans.models import Commitment, Plan


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "status", "vision"]
        error_messages = {"title": {"required": "Enter the plan's title"}}


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text"]
        error_messages = {"text": {"required": "Enter what the commitment says"}}
