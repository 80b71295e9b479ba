"""One action's pages: detail, create and edit (with the conflict page), updates and their review,
milestones, evidence files and the change history. Every write checks permissions here, on the
server, whatever the page offered."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from crimeplan.accounts.models import Organisation
from crimeplan.core.downloads import Column, DataTable, download_or_none
from crimeplan.delivery import permissions as perms
from crimeplan.delivery.editing import Conflict, save_action
from crimeplan.delivery.forms import ActionForm, EvidenceForm, MilestoneForm, ReviewForm, UpdateForm
from crimeplan.delivery.history import action_history
from crimeplan.delivery.models import Action, Evidence, Milestone, Update, UpdateState
from crimeplan.delivery.quarters import current_quarter
from crimeplan.delivery.updates import NotAllowed, WrongState, review_update, submit_update
from crimeplan.plans.models import Plan


def _action_or_404(request: HttpRequest, reference: str) -> Action:
    action = get_object_or_404(
        Action.objects.select_related(
            "plan", "plan__owner", "lead_organisation", "owner", "strand", "asset", "asset__lead"
        ),
        reference=reference,
    )
    if not perms.can_view_action(request.user, action):
        if not request.user.is_authenticated:
            raise Http404("No action here, or you need to sign in to see it.")
        raise PermissionDenied("This action is not published.")
    return action


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def action_detail(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    partner = perms.is_partner(request.user)
    updates = action.updates.select_related("submitted_by", "reviewed_by").prefetch_related(
        "evidence"
    )
    if not partner:
        updates = updates.filter(state=UpdateState.APPROVED)
    updates = list(updates)
    milestones = list(action.milestones.all())
    table = DataTable.from_lists(
        "milestones",
        f"Milestones {action.reference}",
        [Column("milestone", "Milestone"), Column("due", "Due"), Column("done", "Done")],
        [[m.title, m.due_date, m.done_date] for m in milestones],
    )
    if download := download_or_none(request, [table], None):
        return download
    context = {
        "action": action,
        "commitments": action.commitments.select_related("priority", "plan").order_by(
            "plan_id", "priority__number", "letter"
        ),
        "partners": action.partners.all(),
        "milestones": milestones,
        "updates": updates,
        "evidence": action.evidence.filter(update__isnull=True) if partner else [],
        "can_edit": perms.can_edit_action(request.user, action),
        "can_review": perms.can_review_for(request.user, action),
        "partner": partner,
        "current_quarter": current_quarter(),
        "today_date": dt.date.today(),
    }
    return render(request, "delivery/action_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=slug)
    organisations = perms.writer_organisations(request.user)
    _require(bool(organisations), "Only contributors, leads and administrators add actions.")
    offered = organisations if request.method == "GET" else list(Organisation.objects.all())
    form = ActionForm(request.POST or None, plan=plan, organisations=offered)
    if request.method == "POST" and form.is_valid():
        _require(
            perms.can_create_action(request.user, form.cleaned_data["lead_organisation"].pk),
            "You can only add actions for your own organisation.",
        )
        action = form.save()
        messages.success(request, f"Action {action.reference} added.")
        return redirect(action.get_absolute_url())
    return render(request, "delivery/action_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    _require(
        perms.can_edit_action(request.user, action),
        "Only the action's own organisation can change it.",
    )
    organisations = perms.writer_organisations(request.user)
    if action.lead_organisation not in organisations:
        organisations.append(action.lead_organisation)
    if request.method == "GET":
        form = ActionForm(
            instance=action,
            initial={"version": action.version},
            plan=action.plan,
            organisations=organisations,
        )
        return render(request, "delivery/action_form.html", {"form": form, "action": action})
    form = ActionForm(
        request.POST,
        instance=action,
        plan=action.plan,
        organisations=list(Organisation.objects.all()),
    )
    opened = _opened_version(request, action)
    if form.is_valid():
        lead = form.cleaned_data["lead_organisation"]
        _require(
            perms.can_create_action(request.user, lead.pk),
            "You can only hand an action to your own organisation.",
        )
        saved = save_action(form, opened)
        if isinstance(saved, Conflict):
            return _conflict_page(request, saved, form)
        messages.success(request, f"Action {saved.reference} saved.")
        return redirect(saved.get_absolute_url())
    return render(request, "delivery/action_form.html", {"form": form, "action": action})


def _opened_version(request: HttpRequest, action: Action) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # a form without its version can never overwrite silently


CONFLICT_FIELDS = [f for f in ActionForm.Meta.fields if f != "reference"]


def _conflict_page(request: HttpRequest, conflict: Conflict, form: ActionForm) -> HttpResponse:
    """Both versions side by side; the form below is prefilled with the user's version and
    carries the stored version, so saving it again is a deliberate choice to overwrite."""
    stored = conflict.stored
    rows = []
    for name in CONFLICT_FIELDS:
        field = form.fields[name]
        theirs = _display(stored, name)
        mine = _display_value(form, name)
        rows.append((field.label or name, theirs, mine, theirs != mine))
    from crimeplan.core.models import AuditEvent

    who = (
        AuditEvent.objects.filter(model="delivery.Action", object_id=str(stored.pk))
        .order_by("-at", "-id")
        .first()
    )
    return render(
        request,
        "delivery/action_conflict.html",
        {
            "action": stored,
            "rows": rows,
            "mine": request.POST,
            "stored_version": stored.version,
            "last_change": who,
        },
        status=409,
    )


def _display(action: Action, name: str) -> str:
    value = getattr(action, name)
    if name in ("commitments", "partners"):
        return ", ".join(sorted(str(v.code if name == "commitments" else v) for v in value.all()))
    if name == "status":
        return action.get_status_display()
    if name == "published":
        return "Yes" if value else "No"
    if name == "owner":
        return (value.get_full_name() or value.username) if value else ""
    return "" if value is None else str(value)


def _display_value(form: ActionForm, name: str) -> str:
    field = form.fields[name]
    if name in ("commitments", "partners"):
        chosen = form.cleaned_data.get(name) or []
        return ", ".join(sorted(str(v.code if name == "commitments" else v) for v in chosen))
    value = form.cleaned_data.get(name)
    if name == "status":
        return dict(field.choices).get(value, value)
    if name == "published":
        return "Yes" if value else "No"
    if name == "owner":
        return (value.get_full_name() or value.username) if value else ""
    return "" if value is None else str(value)


@login_required
@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    _require(
        perms.can_edit_action(request.user, action),
        "Only the action's own organisation can post its updates.",
    )
    initial = {
        "quarter": request.GET.get("quarter") or current_quarter(),
        "progress": action.progress,
    }
    form = UpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit_update(
            action,
            request.user,
            quarter=data["quarter"],
            rag=data["rag"],
            narrative=data["narrative"],
            progress=data["progress"],
            next_steps=data["next_steps"],
            evidence=form.evidence(),
        )
        messages.success(request, f"Update for {data['quarter']} sent to the lead for approval.")
        return redirect(action.get_absolute_url())
    return render(request, "delivery/update_form.html", {"form": form, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def update_review(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        Update.objects.select_related("action__plan__owner", "action__asset", "submitted_by"),
        pk=pk,
    )
    action = update.action
    _require(
        perms.can_review_update(request.user, update),
        "Only a lead of this action's asset or strand can review its updates, and not their own.",
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            review_update(
                update, request.user, approve=approve, comment=form.cleaned_data["comment"]
            )
        except (NotAllowed, WrongState) as problem:
            form.add_error(None, str(problem))
        else:
            outcome = "approved" if approve else f"returned to {action.lead_organisation}"
            messages.success(request, f"Update {outcome}.")
            return redirect(action.get_absolute_url())
    return render(
        request,
        "delivery/update_review.html",
        {"form": form, "update": update, "action": action, "evidence": update.evidence.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
    action = _action_or_404(request, reference)
    _require(
        perms.can_edit_action(request.user, action),
        "Only the action's own organisation can change its milestones.",
    )
    milestone = (
        get_object_or_404(Milestone, pk=pk, action=action) if pk else Milestone(action=action)
    )
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Milestone “{milestone.title}” saved.")
        return redirect(action.get_absolute_url() + "#milestones")
    return render(
        request,
        "delivery/milestone_form.html",
        {"form": form, "action": action, "milestone": milestone},
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    _require(
        perms.can_edit_action(request.user, action),
        "Only the action's own organisation can add evidence.",
    )
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for item in form.evidence():
            Evidence.objects.create(action=action, added_by=request.user, **item)
        messages.success(request, "Evidence added.")
        return redirect(action.get_absolute_url() + "#evidence")
    return render(request, "delivery/evidence_form.html", {"form": form, "action": action})


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Stream an evidence file to someone who may see its action (and, for an update's file,
    the update: the public never sees files)."""
    evidence = get_object_or_404(Evidence.objects.select_related("action__plan"), pk=pk)
    _require(
        perms.is_partner(request.user) and perms.can_view_action(request.user, evidence.action),
        "Evidence files are for partners.",
    )
    if not evidence.file:
        raise Http404("This evidence is a link, not a file.")
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=True,
        filename=evidence.original_name or "evidence",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


HISTORY_PAGE = 50


@login_required
def action_history_page(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    _require(perms.is_partner(request.user), "The change history is for partners.")
    history = action_history(
        action,
        kind=request.GET.get("kind", ""),
        who=request.GET.get("who", ""),
        page=request.GET.get("page", "1"),
        per_page=HISTORY_PAGE,
    )
    table = DataTable.from_lists(
        "history",
        f"History {action.reference}",
        [
            Column("when", "When"),
            Column("who", "Who"),
            Column("what", "What"),
            Column("field", "Field"),
            Column("before", "Before"),
            Column("after", "After"),
        ],
        [
            [entry.at.isoformat(), entry.actor, entry.summary, c.label, c.before, c.after]
            for entry in history.entries
            for c in (entry.changes or [_NoChange])
        ],
    )
    if download := download_or_none(request, [table], None):
        return download
    return render(request, "delivery/action_history.html", {"action": action, "history": history})


class _NoChange:
    label = before = after = ""


@require_POST
@login_required
def milestone_done(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Mark a milestone done today in one click (the form sets any other date)."""
    action = _action_or_404(request, reference)
    _require(
        perms.can_edit_action(request.user, action),
        "Only the action's own organisation can change its milestones.",
    )
    milestone = get_object_or_404(Milestone, pk=pk, action=action)
    if milestone.done_date is None:
        milestone.done_date = dt.date.today()
        milestone.save()
        messages.success(request, f"Milestone “{milestone.title}” marked done.")
    return redirect(action.get_absolute_url() + "#milestones")
