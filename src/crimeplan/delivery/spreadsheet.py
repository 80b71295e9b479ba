"""Actions in and out of a spreadsheet (CSV or XLSX), one format both ways.

Export, edit in a spreadsheet, import: rows are keyed by the action ``reference``, so a second
import updates in place and never duplicates. Import is all or nothing: every problem is listed
with its row number (as the spreadsheet shows it, the header being row 1) and column name, and
nothing is stored while any remains. :func:`plan_import` works out what would change (the
preview) without writing; :func:`apply_import` writes exactly that.

Writes go in bulk (thousands of rows in seconds), so audit events are written in bulk here too,
with the same who/when/before/after as the model signals record for a single save.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crimeplan.accounts.models import Organisation
from crimeplan.core.audit import current_actor, snapshot
from crimeplan.core.models import AuditEvent
from crimeplan.delivery.models import Action, ActionStatus
from crimeplan.plans.models import Asset, Commitment, Plan, Strand

COLUMNS = [
    "reference",
    "plan",
    "title",
    "description",
    "commitments",
    "strand",
    "asset",
    "lead_organisation",
    "owner",
    "partners",
    "start_date",
    "due_date",
    "status",
    "progress",
    "weight",
    "published",
]
REQUIRED = ("reference", "title", "lead_organisation")
SCALARS = [
    "plan_id",
    "title",
    "description",
    "strand_id",
    "asset_id",
    "lead_organisation_id",
    "owner_id",
    "start_date",
    "due_date",
    "status",
    "progress",
    "weight",
    "published",
]
LISTS = ("commitments", "partners")
SEPARATOR = "; "
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0", ""}


class ImportProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class RowChange:
    row: int
    reference: str
    fields: dict[str, Any]  # attname -> new value (scalars), list names -> sorted pk lists
    before: dict[str, Any] | None = None  # None for a new action
    changed: list[str] = field(default_factory=list)  # column names that change


@dataclass
class ImportPlan:
    filename: str
    created: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.changed)} changed, {self.unchanged} unchanged"
        )


# --- reading ---------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) for every non-empty row; raises ImportProblems for a file
    that cannot be read or lacks required columns."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data, filename)
    elif name.endswith(".csv"):
        rows = _csv_rows(data, filename)
    else:
        raise ImportProblems([f"{filename}: choose a .csv or .xlsx file."])
    try:
        header = next(rows)
    except StopIteration:
        raise ImportProblems([f"{filename}: the file is empty."]) from None
    header = [str(h or "").strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportProblems(
            [f"{filename}: row 1: missing column(s) {', '.join(missing)}."]
            + [f"{filename}: expected columns: {', '.join(COLUMNS)}."]
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ImportProblems([f"{filename}: row 1: unknown column(s) {', '.join(unknown)}."])
    for number, values in enumerate(rows, start=2):
        record = {h: v for h, v in zip(header, values, strict=False) if h}
        if all(v in (None, "") for v in record.values()):
            continue
        yield number, record


def _csv_rows(data: bytes, filename: str) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise ImportProblems(
            [f"{filename}: not UTF-8 text (byte {problem.start}); save the CSV as UTF-8."]
        ) from None
    yield from csv.reader(io.StringIO(text))


def _xlsx_rows(data: bytes, filename: str) -> Iterator[list[Any]]:
    """Rows of the "Actions" sheet (or the first), read with calamine (Rust): several times
    faster than openpyxl's reader, which matters for files of thousands of rows."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        sheet = book.get_sheet_by_name("Actions" if "Actions" in names else names[0])
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as problem:  # noqa: BLE001 - calamine raises several kinds for a bad file
        raise ImportProblems([f"{filename}: not a readable XLSX workbook ({problem})."]) from None
    yield from rows


# --- resolving -------------------------------------------------------------------------------


class _Lookups:
    """Every name a row may use, loaded once, so a file of thousands of rows costs a handful
    of queries."""

    def __init__(self) -> None:
        self.plans = {p.slug: p for p in Plan.objects.all()}
        self.organisations = dict(Organisation.objects.values_list("slug", "pk"))
        self.users = dict(get_user_model().objects.values_list("username", "pk"))
        self.commitments: dict[tuple[int, str], int] = {}
        for pk, plan_id, number, letter in Commitment.objects.values_list(
            "pk", "plan_id", "priority__number", "letter"
        ):
            self.commitments[(plan_id, f"{number}{letter}")] = pk
        self.strands = {
            (p, s): pk for pk, p, s in Strand.objects.values_list("pk", "plan_id", "slug")
        }
        self.assets = {
            (p, str(n)): pk for pk, p, n in Asset.objects.values_list("pk", "plan_id", "number")
        }
        self.status = {s.value: s.value for s in ActionStatus}
        self.status.update({s.label.lower(): s.value for s in ActionStatus})

    def qualified(self, text: str, plan: Plan) -> tuple[int | None, str]:
        """ "other-plan/1d" names a part of another plan; "1d" one of the row's plan."""
        if "/" in text:
            slug, _, key = text.partition("/")
            other = self.plans.get(slug.strip())
            return (other.pk if other else None), key.strip()
        return plan.pk, text.strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)")


def _int(value: Any, low: int, high: int) -> int:
    text = _text(value)
    try:
        number = int(float(text))
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if not low <= number <= high or float(text) != number:
        raise ValueError(f"{text!r} must be a whole number from {low} to {high}")
    return number


def _resolve_row(
    record: dict[str, Any], lookups: _Lookups, default_plan: Plan | None
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The row as model values, and (column, problem) pairs."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}

    def check(column: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except ValueError as problem:
            problems.append((column, str(problem)))
            return None

    for column in REQUIRED:
        if not _text(record.get(column)):
            problems.append((column, "is required"))
    if len(_text(record.get("reference"))) > 40:
        problems.append(("reference", "is longer than 40 characters"))
    plan_slug = _text(record.get("plan"))
    plan = lookups.plans.get(plan_slug) if plan_slug else default_plan
    if plan is None:
        problems.append(
            ("plan", f"no plan {plan_slug!r}" if plan_slug else "is required (or give --plan)")
        )
        return values, problems
    values["plan_id"] = plan.pk
    values["title"] = _text(record.get("title"))[:300]
    values["description"] = _text(record.get("description"))
    org = _text(record.get("lead_organisation"))
    values["lead_organisation_id"] = lookups.organisations.get(org)
    if org and values["lead_organisation_id"] is None:
        problems.append(("lead_organisation", f"no organisation {org!r}"))
    owner = _text(record.get("owner"))
    values["owner_id"] = lookups.users.get(owner) if owner else None
    if owner and values["owner_id"] is None:
        problems.append(("owner", f"no user {owner!r}"))
    for column, table in (("strand", lookups.strands), ("asset", lookups.assets)):
        text = _text(record.get(column))
        values[f"{column}_id"] = None
        if text:
            plan_id, key = lookups.qualified(text, plan)
            values[f"{column}_id"] = table.get((plan_id, key))  # type: ignore[arg-type]
            if values[f"{column}_id"] is None:
                problems.append((column, f"no {column} {text!r} in that plan"))
    values["start_date"] = check("start_date", lambda: _date(record.get("start_date")))
    values["due_date"] = check("due_date", lambda: _date(record.get("due_date")))
    if values["start_date"] and values["due_date"] and values["due_date"] < values["start_date"]:
        problems.append(("due_date", "is before start_date"))
    status = _text(record.get("status")).lower() or ActionStatus.NOT_STARTED.value
    values["status"] = lookups.status.get(status)
    if values["status"] is None:
        problems.append(
            ("status", f"{status!r} is not one of {', '.join(s.value for s in ActionStatus)}")
        )
    progress = record.get("progress")
    values["progress"] = check("progress", lambda: _int(progress, 0, 100)) if _text(progress) else 0
    weight = record.get("weight")
    values["weight"] = check("weight", lambda: _int(weight, 0, 100)) if _text(weight) else 1
    published = _text(record.get("published")).lower()
    if published in TRUE | FALSE:
        values["published"] = published in TRUE
    else:
        problems.append(("published", f"{published!r} is not yes or no"))
    commitments = []
    for code in filter(None, (c.strip() for c in _text(record.get("commitments")).split(";"))):
        plan_id, key = lookups.qualified(code, plan)
        pk = lookups.commitments.get((plan_id, key.lower()))  # type: ignore[arg-type]
        if pk is None:
            problems.append(("commitments", f"no commitment {code!r} in that plan"))
        else:
            commitments.append(pk)
    values["commitments"] = sorted(set(commitments))
    partners = []
    for slug in filter(None, (s.strip() for s in _text(record.get("partners")).split(";"))):
        pk = lookups.organisations.get(slug)
        if pk is None:
            problems.append(("partners", f"no organisation {slug!r}"))
        else:
            partners.append(pk)
    values["partners"] = sorted(set(partners))
    return values, problems


def _stored_values(actions: Iterable[Action]) -> dict[str, dict[str, Any]]:
    through_c = Action.commitments.through
    through_p = Action.partners.through
    stored: dict[str, dict[str, Any]] = {}
    by_pk: dict[int, dict[str, Any]] = {}
    for action in actions:
        row = {name: getattr(action, name) for name in SCALARS}
        row.update(pk=action.pk, version=action.version, commitments=[], partners=[])
        stored[action.reference] = row
        by_pk[action.pk] = row
    for action_id, pk in through_c.objects.values_list("action_id", "commitment_id"):
        if action_id in by_pk:
            by_pk[action_id]["commitments"].append(pk)
    for action_id, pk in through_p.objects.values_list("action_id", "organisation_id"):
        if action_id in by_pk:
            by_pk[action_id]["partners"].append(pk)
    for row in by_pk.values():
        row["commitments"].sort()
        row["partners"].sort()
    return stored


def _column_of(name: str) -> str:
    return name[:-3] if name.endswith("_id") else name


def plan_import(
    data: bytes,
    filename: str,
    default_plan: Plan | None = None,
    may_write: Callable[[int], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """What importing the file would do, without writing. ``may_write(organisation_id)`` says
    whether the importing user may write actions of that lead organisation (None: anyone, as
    for the command line)."""
    result = ImportPlan(filename)
    try:
        rows = list(read_rows(data, filename))
    except ImportProblems as problems:
        result.problems = problems.problems
        return result
    lookups = _Lookups()
    references = [_text(r.get("reference")) for _, r in rows]
    stored = _stored_values(Action.objects.filter(reference__in=references))
    seen: dict[str, int] = {}
    for index, (number, record) in enumerate(rows):
        if progress and index % 500 == 0:
            progress(index)
        reference = _text(record.get("reference"))
        values, problems = _resolve_row(record, lookups, default_plan)
        if reference in seen:
            problems.append(("reference", f"{reference!r} is also on row {seen[reference]}"))
        seen.setdefault(reference, number)
        before = stored.get(reference)
        change = RowChange(number, reference, values, before)
        if not problems and before is not None:
            change.changed = [
                _column_of(name) for name in [*SCALARS, *LISTS] if before[name] != values[name]
            ]
        if may_write is not None and not problems and (before is None or change.changed):
            # Only rows that create or change an action need the right to write it, so an
            # exported file with other organisations' rows left as they were imports cleanly.
            orgs = {values.get("lead_organisation_id"), before and before["lead_organisation_id"]}
            if any(org and not may_write(org) for org in orgs):
                problems.append(
                    ("lead_organisation", "you may only import your own organisation's actions")
                )
        for column, problem in problems:
            result.problems.append(f"{filename}: row {number}, column {column}: {problem}")
        if problems:
            continue
        if before is None:
            change.changed = [c for c in COLUMNS if c != "reference"]
            result.created.append(change)
        elif change.changed:
            result.changed.append(change)
        else:
            result.unchanged += 1
    return result


# --- writing ---------------------------------------------------------------------------------


def _audit_row(action: Action, before: dict | None, m2m_before: dict | None) -> AuditEvent:
    user, label = current_actor()
    after = snapshot(action)
    return AuditEvent(
        user=user if (user is not None and getattr(user, "pk", None)) else None,
        actor=label,
        action=AuditEvent.CREATE if before is None else AuditEvent.UPDATE,
        model=Action._meta.label,
        object_id=str(action.pk),
        object_repr=str(action)[:300],
        scope=action.audit_scope(),
        before=None if before is None else {**before, **(m2m_before or {})},
        after=after,
    )


def apply_import(plan: ImportPlan) -> dict[str, int]:
    """Write what :func:`plan_import` found, in one transaction; refuse if it found problems."""
    if plan.problems:
        raise ImportProblems(plan.problems)
    through_c = Action.commitments.through
    through_p = Action.partners.through
    events: list[AuditEvent] = []
    now = timezone.now()
    with transaction.atomic():
        new = [
            Action(reference=c.reference, **{k: v for k, v in c.fields.items() if k not in LISTS})
            for c in plan.created
        ]
        new = Action.objects.bulk_create(new, batch_size=500)
        by_ref = {a.reference: a for a in new}
        if plan.changed:
            existing = {
                a.reference: a
                for a in Action.objects.filter(reference__in=[c.reference for c in plan.changed])
            }
            stale = [
                c.reference
                for c in plan.changed
                if existing[c.reference].version != c.before["version"]
            ]  # type: ignore[index]
            if stale:
                raise ImportProblems(
                    [
                        f"{plan.filename}: {len(stale)} action(s) changed since the preview "
                        f"(first {stale[0]}); preview the file again."
                    ]
                )
            befores = {}
            for change in plan.changed:
                action = existing[change.reference]
                befores[action.pk] = snapshot(action)
                for name, value in change.fields.items():
                    if name not in LISTS:
                        setattr(action, name, value)
                action.version += 1
                action.updated_at = now
            Action.objects.bulk_update(
                list(existing.values()), [*SCALARS, "version", "updated_at"], batch_size=500
            )
            by_ref.update(existing)
        links_c, links_p, clear = [], [], []
        for change in plan.created + plan.changed:
            action = by_ref[change.reference]
            before = change.before
            if before is None or before["commitments"] != change.fields["commitments"]:
                links_c += [
                    through_c(action_id=action.pk, commitment_id=pk)
                    for pk in change.fields["commitments"]
                ]
            if before is None or before["partners"] != change.fields["partners"]:
                links_p += [
                    through_p(action_id=action.pk, organisation_id=pk)
                    for pk in change.fields["partners"]
                ]
            if before is not None:
                clear.append((action.pk, before, change.fields))
        for pk, before, after in clear:
            if before["commitments"] != after["commitments"]:
                through_c.objects.filter(action_id=pk).delete()
            if before["partners"] != after["partners"]:
                through_p.objects.filter(action_id=pk).delete()
        through_c.objects.bulk_create(links_c, batch_size=1000)
        through_p.objects.bulk_create(links_p, batch_size=1000)
        for change in plan.created:
            action = by_ref[change.reference]
            event = _audit_row(action, None, None)
            event.after.update(
                commitments=[str(p) for p in change.fields["commitments"]],
                partners=[str(p) for p in change.fields["partners"]],
            )
            events.append(event)
        for change in plan.changed:
            action = by_ref[change.reference]
            before_lists = {
                name: [str(p) for p in change.before[name]]  # type: ignore[index]
                for name in LISTS
                if change.before[name] != change.fields[name]  # type: ignore[index]
            }
            event = _audit_row(action, befores[action.pk], before_lists)
            event.after.update(
                {name: [str(p) for p in change.fields[name]] for name in before_lists}
            )
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    return {"created": len(plan.created), "changed": len(plan.changed), "unchanged": plan.unchanged}


# --- export ----------------------------------------------------------------------------------


def export_rows(plan: Plan) -> list[list[Any]]:
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("strand__plan", "asset__plan", "lead_organisation", "owner")
        .prefetch_related("commitments__priority", "commitments__plan", "partners")
        .order_by("reference")
    )
    rows = []
    for a in actions:

        def local(part: Any, key: str) -> str:
            return key if part.plan_id == plan.pk else f"{part.plan.slug}/{key}"

        rows.append(
            [
                a.reference,
                plan.slug,
                a.title,
                a.description,
                SEPARATOR.join(sorted(local(c, c.code) for c in a.commitments.all())),
                local(a.strand, a.strand.slug) if a.strand else "",
                local(a.asset, str(a.asset.number)) if a.asset else "",
                a.lead_organisation.slug,
                a.owner.username if a.owner else "",
                SEPARATOR.join(sorted(p.slug for p in a.partners.all())),
                a.start_date.isoformat() if a.start_date else "",
                a.due_date.isoformat() if a.due_date else "",
                a.status,
                a.progress,
                a.weight,
                "yes" if a.published else "no",
            ]
        )
    return rows


def export_actions(plan: Plan, fmt: str) -> bytes:
    rows = export_rows(plan)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Actions")
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}: use csv or xlsx")


def format_of(path: Path | str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise ValueError(f"{path}: the file name must end in .csv or .xlsx")
    return suffix
