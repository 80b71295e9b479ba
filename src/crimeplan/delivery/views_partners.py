"""Partners' other records: funding bids, volunteer hours, local priorities, strands, and the
rounds of updates leads open. Every write checks permissions on the server; a record entered
in error is deleted after a confirmation page, and the deletion is audited like any change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from crimeplan.accounts.models import Organisation
from crimeplan.core.downloads import Column, DataTable, download_or_none
from crimeplan.delivery import permissions as perms
from crimeplan.delivery.forms import (
    FundingBidForm,
    LocalPriorityForm,
    StrandForm,
    UpdateRequestForm,
    VolunteerHoursForm,
)
from crimeplan.delivery.funding import funding_summary, hourly_rate
from crimeplan.delivery.models import FundingBid, LocalPriority, UpdateRequest, VolunteerHours
from crimeplan.delivery.my_work import send_reminders, updates_due
from crimeplan.delivery.views_overview import _plan_for_partner
from crimeplan.plans.models import Strand


def _deny(message: str) -> None:
    raise PermissionDenied(message)


def _offered(request: HttpRequest, organisations: list[Organisation]) -> list[Organisation]:
    """The form offers the user's own organisations; a posted form accepts any, so that a
    choice the user may not make is refused by the permission check (403), not hidden."""
    return organisations if request.method == "GET" else list(Organisation.objects.all())


@login_required
def funding(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    summary = funding_summary(plan)
    bids = list(
        FundingBid.objects.filter(plan=plan)
        .select_related("organisation")
        .prefetch_related("strands", "assets")
    )
    hours = list(VolunteerHours.objects.filter(plan=plan).select_related("organisation", "strand"))
    strands = list(plan.strands.all())
    assets = list(plan.assets.all())
    rate = hourly_rate()
    tables = [
        DataTable.from_lists(
            "bids",
            "Funding bids",
            [
                Column("organisation", "Organisation"),
                Column("title", "Title"),
                Column("funder", "Funder"),
                Column("asked", "Asked", places=2),
                Column("awarded", "Awarded", places=2),
                Column("status", "Status"),
                Column("strands", "Strands"),
                Column("assets", "Assets"),
            ],
            [
                [
                    b.organisation.name,
                    b.title,
                    b.funder,
                    b.amount_asked,
                    b.amount_awarded,
                    b.get_status_display(),
                    "; ".join(s.name for s in b.strands.all()),
                    "; ".join(str(a.number) for a in b.assets.all()),
                ]
                for b in bids
            ],
        ),
        DataTable.from_lists(
            "totals",
            "Totals per strand and asset",
            [
                Column("group", "Group"),
                Column("bids", "Bids", places=0),
                Column("asked", "Asked", places=2),
                Column("awarded", "Awarded", places=2),
                Column("pending", "Pending", places=2),
                Column("hours", "Volunteer hours", places=1),
                Column("hours_value", "Volunteer time value (estimate)", places=0),
            ],
            [
                [
                    "Whole strategy",
                    summary.whole.bids,
                    summary.whole.asked,
                    summary.whole.awarded,
                    summary.whole.pending,
                    summary.whole.hours,
                    summary.whole.hours_value,
                ]
            ]
            + [
                [f"Strand: {s.name}", t.bids, t.asked, t.awarded, t.pending, t.hours, t.hours_value]
                for s in strands
                if (t := summary.by_strand.get(s.pk))
            ]
            + [
                [f"Asset {a.number}", t.bids, t.asked, t.awarded, t.pending, "", ""]
                for a in assets
                if (t := summary.by_asset.get(a.pk))
            ],
        ),
        DataTable.from_lists(
            "hours",
            "Volunteer hours",
            [
                Column("organisation", "Organisation"),
                Column("quarter", "Quarter"),
                Column("hours", "Hours", places=1),
                Column("activity", "Activity"),
                Column("strand", "Strand"),
                Column("value", "Value (estimate)", places=0),
            ],
            [
                [
                    h.organisation.name,
                    h.quarter,
                    h.hours,
                    h.activity,
                    h.strand.name if h.strand else "",
                    (h.hours * rate).quantize(1),
                ]
                for h in hours
            ],
        ),
    ]
    if download := download_or_none(request, tables, None):
        return download
    context = {
        "plan": plan,
        "summary": summary,
        "bids": bids,
        "hours": hours,
        "strands": strands,
        "assets": assets,
        "rate": rate,
        "can_write": bool(perms.writer_organisations(request.user)),
        "writable": {
            o.pk
            for o in {r.organisation for r in [*bids, *hours]}
            if perms.can_write_for(request.user, o.pk)
        },
    }
    return render(request, "delivery/funding.html", context)


def _organisation_record(
    request: HttpRequest, slug: str, pk: int | None, model, form_class, title: str, anchor: str
) -> HttpResponse:
    """Add or change a funding bid or volunteer hours: records of one organisation, written only
    by that organisation's contributors, leads and administrators."""
    plan = _plan_for_partner(request, slug)
    record = get_object_or_404(model, pk=pk, plan=plan) if pk else model(plan=plan)
    if pk and not perms.can_write_for(request.user, record.organisation_id):
        _deny(f"Only the organisation can change its {title.lower()}.")
    organisations = perms.writer_organisations(request.user)
    if not organisations:
        _deny(f"Only contributors, leads and administrators record {title.lower()}.")
    form = form_class(
        request.POST or None,
        instance=record,
        plan=plan,
        organisations=_offered(request, organisations),
    )
    back = reverse("delivery:funding", args=[plan.slug])
    if request.method == "POST" and form.is_valid():
        if not perms.can_write_for(request.user, form.cleaned_data["organisation"].pk):
            _deny(f"You can only record {title.lower()} for your own organisation.")
        form.save()
        messages.success(request, f"{title} saved.")
        return redirect(back + anchor)
    return render(
        request,
        "delivery/simple_form.html",
        {
            "form": form,
            "plan": plan,
            "title": title,
            "back": back,
            "delete_url": _delete_url(plan.slug, model, pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bid_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    return _organisation_record(request, slug, pk, FundingBid, FundingBidForm, "Funding bid", "")


@login_required
@require_http_methods(["GET", "POST"])
def hours_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    return _organisation_record(
        request, slug, pk, VolunteerHours, VolunteerHoursForm, "Volunteer hours", "#hours"
    )


@login_required
def local_priorities(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    from crimeplan.measures.views_support import area_name

    items = list(
        LocalPriority.objects.filter(plan=plan)
        .select_related("organisation")
        .order_by("district", "review_date")
    )
    today = dt.date.today()
    table = DataTable.from_lists(
        "local-priorities",
        "Local priorities",
        [
            Column("district", "District"),
            Column("partnership", "Partnership"),
            Column("issue", "Issue"),
            Column("action", "What will be done"),
            Column("start", "Start"),
            Column("review", "Review"),
            Column("status", "Status"),
            Column("published", "Published"),
        ],
        [
            [
                area_name(p.district),
                p.organisation.name,
                p.issue,
                p.action_text,
                p.start_date,
                p.review_date,
                p.get_status_display(),
                "yes" if p.published else "no",
            ]
            for p in items
        ],
    )
    if download := download_or_none(request, [table], None):
        return download
    writable = {p.pk for p in items if perms.can_write_local_priority(request.user, p.organisation)}
    csps = [o for o in perms.writer_organisations(request.user) if o.kind == Organisation.Kind.CSP]
    return render(
        request,
        "delivery/local_priorities.html",
        {
            "plan": plan,
            "items": items,
            "area_name": area_name,
            "writable": writable,
            "can_add": bool(csps),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def local_priority_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    item = get_object_or_404(LocalPriority, pk=pk, plan=plan) if pk else LocalPriority(plan=plan)
    if pk and not perms.can_write_local_priority(request.user, item.organisation):
        _deny("Only the community safety partnership can change its local priorities.")
    csps = [o for o in perms.writer_organisations(request.user) if o.kind == Organisation.Kind.CSP]
    if not csps:
        _deny("Only community safety partnerships set local priorities.")
    form = LocalPriorityForm(
        request.POST or None, instance=item, organisations=_offered(request, csps)
    )
    if request.method == "POST" and form.is_valid():
        if not perms.can_write_local_priority(request.user, form.cleaned_data["organisation"]):
            _deny("You can only set priorities for your own partnership.")
        form.save()
        messages.success(request, "Local priority saved.")
        return redirect(reverse("delivery:local_priorities", args=[plan.slug]))
    return render(
        request,
        "delivery/simple_form.html",
        {
            "form": form,
            "plan": plan,
            "title": "Local priority",
            "back": reverse("delivery:local_priorities", args=[plan.slug]),
            "delete_url": _delete_url(plan.slug, LocalPriority, pk),
        },
    )


@login_required
def strands(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_partner(request, slug)
    items = list(plan.strands.prefetch_related("leads__organisation"))
    return render(
        request,
        "delivery/strands.html",
        {"plan": plan, "items": items, "can_edit": perms.can_edit_strands(request.user, plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def strand_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Name and describe a strand (the strategy expects 14 and names one). Saved on the plan,
    audited under its history, and written to the plan file on export."""
    plan = _plan_for_partner(request, slug)
    if not perms.can_edit_strands(request.user, plan):
        _deny("Only leads and scrutiny officers name and describe strands.")
    strand = get_object_or_404(Strand, pk=pk, plan=plan) if pk else Strand(plan=plan)
    form = StrandForm(request.POST or None, instance=strand)
    if request.method == "POST" and form.is_valid():
        slug_taken = Strand.objects.filter(plan=plan, slug=form.cleaned_data["slug"]).exclude(
            pk=strand.pk
        )
        if slug_taken.exists():
            form.add_error("slug", "Another strand of this plan has that short name.")
        else:
            form.save()
            messages.success(request, f"Strand “{strand.name}” saved.")
            return redirect(reverse("delivery:strands", args=[plan.slug]))
    return render(
        request,
        "delivery/simple_form.html",
        {
            "form": form,
            "plan": plan,
            "title": "Strand",
            "back": reverse("delivery:strands", args=[plan.slug]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Rounds of updates: a lead opens one for their asset or strand."""
    plan = _plan_for_partner(request, slug)
    form = UpdateRequestForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not perms.leads_scope(request.user, data.get("asset"), data.get("strand")):
            _deny("Only the asset's or strand's lead opens its round of updates.")
        round_ = form.save(commit=False)
        round_.plan = plan
        round_.opened_by = request.user
        round_.save()
        messages.success(request, f"Updates for {round_.quarter} requested.")
        return redirect(reverse("delivery:requests", args=[plan.slug]))
    rounds = list(
        UpdateRequest.objects.filter(plan=plan).select_related("asset", "strand", "opened_by")
    )
    today = dt.date.today()
    outstanding = {r.pk: 0 for r in rounds}
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    for item in updates_due(org_ids, today):
        if item.request.pk in outstanding:
            outstanding[item.request.pk] += 1
    leads = {r.pk for r in rounds if perms.leads_scope(request.user, r.asset, r.strand)}
    table = DataTable.from_lists(
        "rounds",
        "Rounds of updates",
        [
            Column("quarter", "Quarter"),
            Column("asset", "Asset"),
            Column("strand", "Strand"),
            Column("due_by", "Due by"),
            Column("still_due", "Still due", places=0),
            Column("reminded_at", "Reminded at"),
        ],
        [
            [
                r.quarter,
                str(r.asset or ""),
                str(r.strand or ""),
                r.due_date,
                outstanding[r.pk],
                r.reminded_at,
            ]
            for r in rounds
        ],
    )
    if download := download_or_none(request, [table], None):
        return download
    return render(
        request,
        "delivery/requests.html",
        {
            "plan": plan,
            "form": form,
            "rounds": rounds,
            "outstanding": outstanding,
            "leads": leads,
            "today": today,
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(
        UpdateRequest.objects.select_related("plan", "asset", "strand"), pk=pk
    )
    if not perms.leads_scope(request.user, round_.asset, round_.strand):
        _deny("Only the round's lead sends its reminders.")
    sent = send_reminders(round_, dt.date.today())
    messages.success(request, f"{sent} reminder email{'s' if sent != 1 else ''} sent.")
    return redirect(reverse("delivery:requests", args=[round_.plan.slug]))


@dataclass(frozen=True)
class Deletable:
    """A kind of partner record that may be deleted from the pages, and who may delete it."""

    model: Any
    noun: str
    describe: Callable[[Any], str]
    allowed: Callable[[Any, Any], bool]
    refusal: str
    back: str
    anchor: str = ""


DELETABLE: dict[str, Deletable] = {
    "bids": Deletable(
        FundingBid,
        "funding bid",
        lambda r: f"{r.organisation}'s bid to {r.funder} for £{r.amount_asked:,}",
        lambda user, r: perms.can_write_for(user, r.organisation_id),
        "Only the organisation can delete its funding bids.",
        "delivery:funding",
    ),
    "hours": Deletable(
        VolunteerHours,
        "volunteer hours",
        lambda r: f"{r.organisation}'s {r.hours:g} hours in {r.quarter}",
        lambda user, r: perms.can_write_for(user, r.organisation_id),
        "Only the organisation can delete its volunteer hours.",
        "delivery:funding",
        "#hours",
    ),
    "local-priorities": Deletable(
        LocalPriority,
        "local priority",
        lambda r: f"{r.organisation}'s local priority: {r.issue}",
        lambda user, r: perms.can_write_local_priority(user, r.organisation),
        "Only the community safety partnership can delete its local priorities.",
        "delivery:local_priorities",
    ),
    "rounds": Deletable(
        UpdateRequest,
        "round of updates",
        lambda r: (
            f"the {r.quarter} round of updates for "
            + ", ".join(str(x) for x in (r.asset, r.strand) if x)
        ),
        lambda user, r: perms.leads_scope(user, r.asset, r.strand),
        "Only the round's lead can withdraw it.",
        "delivery:requests",
    ),
}


def _delete_url(slug: str, model: Any, pk: int | None) -> str | None:
    kind = next((k for k, d in DELETABLE.items() if d.model is model), None)
    return reverse("delivery:record_delete", args=[slug, kind, pk]) if kind and pk else None


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes. Both are refused to anyone the record's own edit
    page refuses, so the question is never put to someone who cannot do it."""
    spec = DELETABLE.get(kind)
    if spec is None:
        raise Http404("No such kind of record.")
    plan = _plan_for_partner(request, slug)
    record = get_object_or_404(spec.model, pk=pk, plan=plan)
    if not spec.allowed(request.user, record):
        _deny(spec.refusal)
    back = reverse(spec.back, args=[plan.slug]) + spec.anchor
    what = spec.describe(record)
    if request.method == "POST":
        record.delete()
        messages.success(request, f"Deleted {what}.")
        return redirect(back)
    return render(
        request,
        "delivery/confirm_delete.html",
        {"plan": plan, "noun": spec.noun, "what": what, "back": back},
    )
