"""Delivery forms. Choices offered are limited to what the user may pick, and the views check
permissions again on the server whatever a form offers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from crimeplan.accounts.models import Organisation
from crimeplan.core.form_messages import NamedRequiredMessages
from crimeplan.delivery.evidence import EvidenceRejected, check_upload
from crimeplan.delivery.models import (
    Action,
    FundingBid,
    LocalPriority,
    Milestone,
    Rag,
    UpdateRequest,
    VolunteerHours,
)
from crimeplan.delivery.quarters import is_quarter
from crimeplan.plans.models import Asset, Commitment, Plan, Strand

DATE = forms.DateInput(attrs={"type": "date"})


def _quarter(value: str) -> str:
    value = (value or "").strip().upper()
    if not is_quarter(value):
        raise forms.ValidationError("Enter a quarter like 2025-Q2.")
    return value


class ActionForm(NamedRequiredMessages, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = [
            "reference",
            "title",
            "description",
            "lead_organisation",
            "owner",
            "partners",
            "commitments",
            "strand",
            "asset",
            "start_date",
            "due_date",
            "status",
            "progress",
            "weight",
            "published",
        ]
        widgets = {"start_date": DATE, "due_date": DATE}

    def __init__(self, *args: Any, plan: Plan, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation__in=organisations)
            .distinct()
            .order_by("username")
        )
        self.fields["partners"].queryset = Organisation.objects.all()
        self.fields["commitments"].queryset = Commitment.objects.select_related(
            "priority", "plan"
        ).order_by("plan_id", "priority__number", "letter")
        self.fields["strand"].queryset = Strand.objects.select_related("plan")
        self.fields["asset"].queryset = Asset.objects.select_related("plan")
        self.fields["commitments"].label_from_instance = lambda c: f"{c.code} {c.text[:90]}"
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.plan = plan

    def clean(self) -> dict:
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be on or after the start date.")
        return data

    def save(self, commit: bool = True) -> Action:
        self.instance.plan = self.plan
        return super().save(commit)


class UpdateForm(NamedRequiredMessages, forms.Form):
    quarter = forms.CharField(max_length=7, help_text="For example 2025-Q2 (April to June).")
    rag = forms.ChoiceField(choices=Rag.choices, label="RAG status", widget=forms.RadioSelect)
    progress = forms.IntegerField(min_value=0, max_value=100, label="Progress (per cent)")
    narrative = forms.CharField(widget=forms.Textarea, label="What has been done this quarter")
    next_steps = forms.CharField(widget=forms.Textarea, required=False, label="Next steps")
    evidence_link = forms.URLField(
        required=False, label="Evidence link (optional)", assume_scheme="https"
    )
    evidence_file = forms.FileField(required=False, label="Evidence file (optional)")
    evidence_title = forms.CharField(required=False, max_length=300, label="Evidence title")

    def clean_quarter(self) -> str:
        return _quarter(self.cleaned_data["quarter"])

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            try:
                self.checked_file = check_upload(upload)
            except EvidenceRejected as problem:
                raise forms.ValidationError(str(problem)) from problem
        return upload

    def evidence(self) -> list[dict]:
        data = self.cleaned_data
        title = data.get("evidence_title") or ""
        items = []
        if data.get("evidence_link"):
            items.append({"title": title or data["evidence_link"], "url": data["evidence_link"]})
        upload = data.get("evidence_file")
        if upload:
            checked = self.checked_file
            items.append(
                {
                    "title": title or upload.name,
                    "file": upload,
                    "original_name": upload.name[:255],
                    "content_type": checked.content_type,
                    "size": checked.size,
                }
            )
        return items


class EvidenceForm(UpdateForm):
    """Evidence on its own, for the action rather than one update."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("quarter", "rag", "progress", "narrative", "next_steps"):
            del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("evidence_link") and not data.get("evidence_file"):
            raise forms.ValidationError("Give a link or choose a file.")
        return data


class ReviewForm(NamedRequiredMessages, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("return", "Return with a comment")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(widget=forms.Textarea, required=False, label="Comment")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say why the update is returned.")
        return data


class MilestoneForm(NamedRequiredMessages, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_date"]
        widgets = {"due_date": DATE, "done_date": DATE}


class UpdateRequestForm(NamedRequiredMessages, forms.ModelForm):
    class Meta:
        model = UpdateRequest
        fields = ["quarter", "asset", "strand", "due_date", "message"]
        widgets = {"due_date": DATE}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = plan.assets.all()
        self.fields["strand"].queryset = plan.strands.all()

    def clean_quarter(self) -> str:
        return _quarter(self.cleaned_data["quarter"])

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("asset") and not data.get("strand"):
            raise forms.ValidationError("Choose the asset or strand whose updates are due.")
        return data


class FundingBidForm(NamedRequiredMessages, forms.ModelForm):
    class Meta:
        model = FundingBid
        fields = [
            "organisation",
            "title",
            "funder",
            "amount_asked",
            "amount_awarded",
            "status",
            "submitted_on",
            "strands",
            "assets",
        ]
        widgets = {"submitted_on": DATE}

    def __init__(self, *args: Any, plan: Plan, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["strands"].queryset = plan.strands.all()
        self.fields["assets"].queryset = plan.assets.all()


class VolunteerHoursForm(NamedRequiredMessages, forms.ModelForm):
    class Meta:
        model = VolunteerHours
        fields = ["organisation", "quarter", "hours", "activity", "strand"]

    def __init__(self, *args: Any, plan: Plan, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["strand"].queryset = plan.strands.all()

    def clean_quarter(self) -> str:
        return _quarter(self.cleaned_data["quarter"])


class LocalPriorityForm(NamedRequiredMessages, forms.ModelForm):
    class Meta:
        model = LocalPriority
        fields = [
            "organisation",
            "district",
            "issue",
            "action_text",
            "start_date",
            "review_date",
            "status",
            "published",
        ]
        widgets = {"start_date": DATE, "review_date": DATE}

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations], kind=Organisation.Kind.CSP
        )
        from crimeplan.crimedata.districts import all_districts

        self.fields["district"] = forms.ChoiceField(
            choices=[(code, name) for _force, code, name in all_districts()]
        )

    def clean(self) -> dict:
        data = super().clean()
        start, review = data.get("start_date"), data.get("review_date")
        if start and review and review < start:
            self.add_error("review_date", "The review date must be on or after the start date.")
        return data


class StrandForm(NamedRequiredMessages, forms.ModelForm):
    class Meta:
        model = Strand
        fields = ["name", "slug", "description", "order"]
