"""Board forms: the quarterly report, and the record a board secretary keeps on the site
(meetings, attendance, agenda items, decisions and actions).

Every choice offered is limited to the board's own plan, and the views check who may write on
the server whatever a form offers. Messages name the field and say what to enter, in the GOV.UK
error pattern the templates show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from crimeplan.accounts.models import Organisation
from crimeplan.delivery.models import Action
from crimeplan.governance.models import AgendaItem, Attendance, Decision, Meeting
from crimeplan.governance.quarters import Quarter
from crimeplan.measures.models import Measure
from crimeplan.plans.models import Board, Commitment, Plan, Priority

DATE_HINT = "For example 2025-07-24"


def _date_messages(what: str) -> dict[str, str]:
    return {
        "required": f"Enter {what}",
        "invalid": f"Enter {what} as a real date in the form YYYY-MM-DD, for example 2025-07-24",
    }


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


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


class MeetingForm(forms.ModelForm):
    """A meeting's details and who attended, by organisation. Saving adds and removes the
    attendance rows (each audited); the people already minuted for an organisation stay."""

    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Attending organisations",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose attending organisations from the list"},
    )

    class Meta:
        model = Meeting
        fields = ["date", "title", "location", "minutes"]
        labels = {"date": "Date of the meeting", "title": "Title (optional)"}
        help_texts = {"date": DATE_HINT}
        error_messages = {"date": _date_messages("the date of the meeting")}

    def __init__(self, *args: Any, board: Board, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.board = board
        self.instance.board = board
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["location"].label = "Location (optional)"
        self.fields["minutes"].label = "Minutes (optional)"
        if self.instance.pk is not None:
            self.initial["organisations"] = [
                a.organisation_id for a in self.instance.attendance.all()
            ]

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        others = self.board.meetings.filter(date=day).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                f"The {self.board.name} already has a meeting on {_day(day)}: "
                "choose another date, or change that meeting"
            )
        if self.instance.pk is not None:
            # Nothing set at a meeting is due or closed before it: moving the meeting later
            # must not leave one of its decisions so.
            for decision in self.instance.decisions.order_by("reference"):
                for what, when in (("due", decision.due_date), ("closed", decision.closed_on)):
                    if when is not None and when < day:
                        raise forms.ValidationError(
                            f"{decision.reference}, set at this meeting, was {what} on "
                            f"{_day(when)}, before {_day(day)}: change it first, or choose "
                            "an earlier date"
                        )
        return day

    def save(self, commit: bool = True) -> Meeting:
        with transaction.atomic():
            meeting: Meeting = super().save()
            wanted = {o.pk: o for o in self.cleaned_data["organisations"]}
            for attendance in list(meeting.attendance.all()):
                if attendance.organisation_id not in wanted:
                    attendance.delete()
                else:
                    del wanted[attendance.organisation_id]
            for organisation in wanted.values():
                Attendance.objects.create(meeting=meeting, organisation=organisation)
        return meeting


CONCERNS = ("priority", "commitment", "measure", "action")


def _plan_choices(plan: Plan) -> dict[str, QuerySet[Any]]:
    return {
        "priority": Priority.objects.filter(plan=plan).order_by("number"),
        "commitment": Commitment.objects.filter(priority__plan=plan)
        .select_related("priority")
        .order_by("priority__number", "letter"),
        "measure": Measure.objects.filter(plan=plan).order_by("title"),
        "action": Action.objects.filter(plan=plan).order_by("reference"),
    }


class ConcernsMixin:
    """The four optional links (priority, commitment, measure, action), offered from the
    board's plan only. Something of another plan is refused with a message naming the field,
    not Django's bare "Select a valid choice"."""

    fields: dict[str, forms.Field]

    def limit_concerns(self, plan: Plan) -> None:
        labels = {
            "priority": ("Priority", "Not about a priority"),
            "commitment": ("Commitment", "Not about a commitment"),
            "measure": ("Measure", "Not about a measure"),
            "action": ("Delivery action", "Not about a delivery action"),
        }
        for name, queryset in _plan_choices(plan).items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
            field.label, field.empty_label = labels[name]
            field.error_messages["invalid_choice"] = (
                f"Choose a {labels[name][0].lower()} of {plan.title}, the board's plan"
            )


class AgendaItemForm(ConcernsMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", *CONCERNS]
        labels = {"title": "Agenda item"}
        error_messages = {"title": {"required": "Enter the agenda item's title"}}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.limit_concerns(meeting.board.plan)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Enter the agenda item's title")
        return title

    def save(self, commit: bool = True) -> AgendaItem:
        item: AgendaItem = super().save(commit=False)
        if item.pk is None:
            last = item.meeting.agenda_items.order_by("-order").values_list("order", flat=True)
            item.order = (last.first() or 0) + 1
        item.save()
        return item


class OneMessagePerField(forms.ModelForm):
    """Django runs the model's ``clean()`` even after a field was refused, so a date this form
    has already rejected would get the model's second message ("Say when a closed item was
    closed") beside the form's. Only the first word on a field is kept."""

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            kept = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name == NON_FIELD_ERRORS or name not in self._errors
            }
            if not kept:
                return
            errors = ValidationError(kept)
        super()._update_errors(errors)


class DecisionForm(ConcernsMixin, OneMessagePerField):
    """A decision or action recorded at a meeting. Its due and closing dates cannot come before
    the meeting that set it; its reference is unique on the board (reports and minutes cite it)."""

    class Meta:
        model = Decision
        fields = [
            "kind",
            "reference",
            "text",
            "owner_organisation",
            "owner_name",
            "due_date",
            "status",
            "closed_on",
            "note",
            *CONCERNS,
        ]
        labels = {
            "kind": "Decision or action",
            "text": "What was decided or asked for",
            "owner_organisation": "Owner organisation",
            "owner_name": "Owner (name or post, optional)",
            "due_date": "Due date (optional)",
            "closed_on": "Closed on (when done or withdrawn)",
            "note": "Progress note (optional)",
        }
        help_texts = {
            "reference": "Cited in minutes and reports, for example PRSB-2025-05",
            "due_date": DATE_HINT,
            "closed_on": DATE_HINT,
        }
        error_messages = {
            "reference": {"required": "Enter a reference for the decision or action"},
            "text": {"required": "Enter what was decided or asked for"},
            "due_date": {"invalid": _date_messages("the due date")["invalid"]},
            "closed_on": {"invalid": _date_messages("the date it was closed")["invalid"]},
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        self.instance.board = meeting.board
        self.limit_concerns(meeting.board.plan)
        owner = self.fields["owner_organisation"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Organisation.objects.order_by("name")
        owner.empty_label = "No owner organisation"

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise forms.ValidationError("Enter a reference for the decision or action")
        taken = self.meeting.board.decisions.filter(reference=reference)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"{reference} is already used on this board: give this one its own reference"
            )
        return reference

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter what was decided or asked for")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_dates(self, self.meeting, data, check_due=True)
        return data


class DecisionStatusForm(OneMessagePerField):
    class Meta:
        model = Decision
        fields = ["status", "closed_on", "note"]
        labels = {"closed_on": "Closed on (when done or withdrawn)", "note": "Progress note"}
        help_texts = {"closed_on": DATE_HINT}
        error_messages = {
            "closed_on": {"invalid": _date_messages("the date it was closed")["invalid"]},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_dates(self, self.instance.meeting, data, check_due=False)
        return data


def _check_dates(
    form: forms.ModelForm, meeting: Meeting, data: dict[str, Any], check_due: bool
) -> None:
    """A closed item says when it closed; nothing is due or closed before the meeting set it.
    An item that is open again forgets its closing date (it is carried forward again)."""
    held = _day(meeting.date)
    due = data.get("due_date")
    if check_due and due is not None and due < meeting.date:
        form.add_error(
            "due_date", f"The due date must be on or after the meeting that set it ({held})"
        )
    closed = data.get("closed_on")
    if data.get("status") in Decision.CLOSED:
        if closed is None and "closed_on" not in form.errors:
            form.add_error("closed_on", "Say when the item was closed (YYYY-MM-DD).")
        elif closed is not None and closed < meeting.date:
            form.add_error(
                "closed_on", f"The item cannot close before the meeting that set it ({held})"
            )
    else:
        data["closed_on"] = None
