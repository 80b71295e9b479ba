"""Plan files: loading (lines, includes, limits), the schema, validation, import and export.

Not a Django app: a library the ``plan`` command, the pages and the tests call. Each domain app
owns its part of a plan file as a *section* and this package runs them in order; it imports no
app. An installed ``crimeplan`` app takes part by having a module ``planfile_section`` with a
``SECTION`` that follows :class:`Section` (found through ``INSTALLED_APPS``, in its order, so
nothing here changes when an app is added)::

    # src/crimeplan/delivery/planfile_section.py
    from crimeplan.planfile import Importer, LoadedFile, PlanData, Problem, SchemaPart, put


    class DeliverySection:
        name = "delivery"
        includable = ("actions",)  # 'actions: {include: plan.actions.yaml}' is allowed

        def schema(self) -> SchemaPart:
            return {"properties": {"actions": {"type": "array", "items": {...}}}}

        def problems(self, loaded: LoadedFile) -> list[Problem]:
            return [
                loaded.problem(("actions", i, "owner"), f"unknown organisation {a['owner']!r}")
                for i, a in enumerate(loaded.data.get("actions", []))
                if a["owner"] not in {o["slug"] for o in loaded.data.get("organisations", [])}
            ]

        def import_data(self, importer: Importer, data: PlanData) -> None:
            from crimeplan.delivery.models import Action  # models only when importing

            keep = {
                importer.upsert(
                    Action, {"plan": importer.plan, "key": a["id"]}, {"title": a["title"]}
                ).pk
                for a in data.get("actions", [])
            }
            importer.prune(importer.plan.actions.all(), keep)

        def export_data(self, plan, out: PlanData) -> None:
            put(out, "actions", [{"id": a.key, "title": a.title} for a in plan.actions.all()])


    SECTION = DeliverySection()

``schema()`` joins the sections' ``properties``, ``required`` and ``$defs`` onto
``schema_base.json`` (whose ``$defs`` ``slug``, ``text`` and ``month`` any section may use). A
section's ``problems`` run only on a file the whole schema accepts, so they may assume its shape.
Export calls each section's ``export_data`` in turn, so a section's keys follow the previous
section's in the file.
"""

from crimeplan.planfile.loading import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    PlanLoader,
    dump,
    load_file,
    load_text,
)
from crimeplan.planfile.problems import LoadedFile, PathKey, Problem, duplicates, format_path
from crimeplan.planfile.sections import (
    PlanData,
    SchemaPart,
    Section,
    discover,
    register,
    schema,
    sections,
)
from crimeplan.planfile.transfer import (
    SCHEMA_ID,
    Importer,
    ImportReport,
    export_plan,
    import_plan,
    plan_to_data,
    put,
)
from crimeplan.planfile.validation import validate_file, validate_loaded, validate_text

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SCHEMA_ID",
    "Importer",
    "ImportReport",
    "LoadedFile",
    "PathKey",
    "PlanData",
    "PlanLoader",
    "Problem",
    "SchemaPart",
    "Section",
    "discover",
    "duplicates",
    "dump",
    "export_plan",
    "format_path",
    "import_plan",
    "load_file",
    "load_text",
    "plan_to_data",
    "put",
    "register",
    "schema",
    "sections",
    "validate_file",
    "validate_loaded",
    "validate_text",
]
