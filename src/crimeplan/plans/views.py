"""Plan pages. Published plans are public; the rest need a partner log-in (see permissions)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from crimeplan.accounts.models import Organisation
from crimeplan.core.downloads import download_or_none
from crimeplan.core.history import history_page
from crimeplan.core.models import AuditEvent
from crimeplan.delivery.commitment_page import commitment_delivery_for
from crimeplan.governance.decisions import decisions_about
from crimeplan.measures.models import Measure
from crimeplan.measures.tables import areas_table
from crimeplan.measures.views_support import assess_measures, data_period
from crimeplan.planfile import export_plan, schema
from crimeplan.plans.forms import CommitmentForm, PlanForm
from crimeplan.plans.matrix import asset_strand_matrix
from crimeplan.plans.models import Commitment, Plan
from crimeplan.plans.permissions import (
    can_edit_plan,
    can_view_history,
    can_view_members,
    plan_or_404,
    viewable_plans,
)


def visible_plans(request: HttpRequest):
    plans = Plan.objects.select_related("owner").annotate(
        n_priorities=Count("priorities", distinct=True),
        n_commitments=Count("commitments", distinct=True),
    )
    return viewable_plans(request.user, plans)


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/plan_list.html", {"plans": visible_plans(request)})


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    priorities = list(
        plan.priorities.prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("letter"))
        )
    )
    context = {
        "plan": plan,
        "priorities": priorities,
        # Counted from the prefetched commitments rather than with a query of its own.
        "n_commitments": sum(len(p.commitments.all()) for p in priorities),
        "n_measures": plan.measures.count(),
        "sections": plan.sections.all(),
        "engagement": plan.engagement.all(),
        "matrix": asset_strand_matrix(plan),
        "boards": plan.boards.select_related("organisation", "reports_to").prefetch_related(
            "assets"
        ),
        "can_edit": can_edit_plan(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _page_measures():
    return Measure.objects.select_related("plan").prefetch_related("rebases")


def priority_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    plan = plan_or_404(request, slug)
    priority = get_object_or_404(plan.priorities, number=number)
    # The measures' plan is joined and their rebases prefetched, so links and definitions cost
    # no query per measure; every measure's series comes from one query.
    commitments = list(
        priority.commitments.select_related("plan")
        .prefetch_related("strands", Prefetch("measures", queryset=_page_measures()))
        .order_by("letter")
    )
    measures = {m.pk: m for c in commitments for m in c.measures.all()}
    judged = assess_measures(measures.values())
    assessed = {
        pk: judged.get(pk, {}).get(m.definition().headline_area) for pk, m in measures.items()
    }
    context = {
        "plan": plan,
        "priority": priority,
        "commitments": commitments,
        "assessed": assessed,
        "period": data_period(plan) if measures else None,
        "previous": plan.priorities.filter(number__lt=number).order_by("-number").first(),
        "next": plan.priorities.filter(number__gt=number).order_by("number").first(),
        "decisions": decisions_about(priority=priority),
        "can_edit": can_edit_plan(request.user, plan),
    }
    return render(request, "plans/priority_detail.html", context)


def commitment_detail(request: HttpRequest, slug: str, number: int, letter: str) -> HttpResponse:
    """A commitment with every measure that evidences it, judged in every area: what a
    scrutiny board asks of one line of the plan ("are we doing what we said, and where?")."""
    plan = plan_or_404(request, slug)
    commitment = get_object_or_404(
        plan.commitments.select_related("priority").prefetch_related("strands"),
        priority__number=number,
        letter=letter,
    )
    commitment.priority.plan = plan  # for the priority's links, without a query
    measures = list(_page_measures().filter(commitments=commitment).order_by("order", "key"))
    judged = assess_measures(measures, every_area=True)
    # Each measure with its areas' assessments: the force area first, then districts by name.
    measures = [(m, list(judged.get(m.pk, {}).items())) for m in measures]
    tables = {m.pk: areas_table(m, a) for m, a in measures if len(a) > 1}
    download = download_or_none(request, tables.values(), f"commitment-{commitment.code}")
    if download is not None:
        return download
    context = {
        "tables": tables,
        "period": data_period(plan) if measures else None,
        "plan": plan,
        "priority": commitment.priority,
        "commitment": commitment,
        "measures": measures,
        "decisions": decisions_about(commitment=commitment),
        "can_edit": can_edit_plan(request.user, plan),
        "delivery": commitment_delivery_for(commitment, request.user),
    }
    return render(request, "plans/commitment_detail.html", context)


def plan_file(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    response = HttpResponse(export_plan(plan), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.yaml"'
    return response


def plan_schema(request: HttpRequest) -> HttpResponse:
    """The published schema, assembled from every installed app's plan-file section."""
    text = json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
    return HttpResponse(text, content_type="application/schema+json")


def _require_editor(request: HttpRequest, plan: Plan) -> None:
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied(
            "Only scrutiny officers and administrators of the plan's owner can edit it."
        )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    _require_editor(request, plan)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The plan's details are saved.")
        return redirect(plan.get_absolute_url())
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, slug: str, number: int, letter: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    _require_editor(request, plan)
    commitment = get_object_or_404(
        Commitment.objects.select_related("priority"),
        plan=plan,
        priority__number=number,
        letter=letter,
    )
    form = CommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Commitment {commitment.code} is saved.")
        # No #fragment: the page opens at the top, where the success banner takes focus.
        return redirect(commitment.priority.get_absolute_url())
    return render(
        request,
        "plans/commitment_edit.html",
        {"plan": plan, "commitment": commitment, "form": form},
    )


@login_required
def plan_history(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_or_404(request, slug)
    if not can_view_history(request.user, plan):
        raise PermissionDenied("The change history is for the plan's owner and partners.")
    history = history_page(AuditEvent.objects.filter(scope=f"plan:{plan.pk}"), request.GET)
    return render(
        request,
        "plans/plan_history.html",
        {"plan": plan, "history": history, "pagination": history.pagination(request.path)},
        status=400 if history.filters.errors else 200,
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.all()
    return render(request, "plans/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    visible = viewable_plans(request.user, Plan.objects.all())

    def shown(qs, field="plan"):
        return qs.filter(**{f"{field}__in": visible})

    context = {
        "organisation": organisation,
        "plans_owned": visible.filter(owner=organisation),
        "plans_named": visible.filter(partners=organisation).exclude(owner=organisation),
        "assets": shown(organisation.assets_led.select_related("plan")),
        "boards": shown(organisation.boards.select_related("plan")),
        "members": organisation.memberships.select_related("user")
        if can_view_members(request.user, organisation)
        else None,
    }
    return render(request, "plans/organisation_detail.html", context)
