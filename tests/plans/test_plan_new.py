"""`crimeplan plan new --force`: a starter plan for any force, and plans naming their force."""

from __future__ import annotations

import yaml

from crimeplan.crimedata.districts import districts_for
from crimeplan.planfile import validate_text


def test_plan_new_writes_a_valid_draft_and_lists_the_words_to_write(tmp_path, cli):
    path = tmp_path / "kent.yaml"
    out = cli("plan", "new", "--force", "kent", "--start", "2026", "-o", path).stdout
    data, problems = validate_text(path.read_text())
    assert problems == []
    assert data["force"] == "kent" and data["status"] == "draft"
    assert data["period"] == {"start": 2026, "end": 2030}
    assert {"slug": "kent", "name": "Kent Police", "kind": "police"} in data["organisations"]
    ids = [m["id"] for m in data["measures"]]
    assert ids[:3] == ["all-crime", "crime-rate", "harm-cchi"]
    assert {"burglary", "violence-sexual-offences", "anti-social-behaviour"} <= set(ids)
    assert all(m["geography"] == "each_district" for m in data["measures"])
    listed = [line.strip() for line in out.splitlines()[1:]]
    assert listed == [
        "title", "author", "vision", "summary[0]", "organisations[0].name",
        "priorities[0].title", "priorities[0].commitments[0].text",
    ]  # fmt: skip
    text = path.read_text()
    assert text.count("TO WRITE:") == len(listed)
    # The districts are named from the reference table, not typed into the template.
    assert all(d.name in data["vision"] for d in districts_for("kent"))


def test_plan_new_refuses_an_unknown_force_and_an_existing_file(tmp_path, cli):
    refused = cli("plan", "new", "--force", "atlantis", "-o", tmp_path / "a.yaml", exit_code=1)
    assert "unknown force 'atlantis'" in refused.stderr
    assert not (tmp_path / "a.yaml").exists()
    kept = tmp_path / "mine.yaml"
    kept.write_text("my own words\n")
    assert "exists" in cli("plan", "new", "--force", "kent", "-o", kept, exit_code=1).stderr
    assert kept.read_text() == "my own words\n"


def _starter(tmp_path, cli, **changes) -> str:
    path = tmp_path / "plan.yaml"
    path.unlink(missing_ok=True)
    cli("plan", "new", "--force", "kent", "-o", path)
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_a_plan_must_name_a_known_force_and_districts_of_that_force(tmp_path, cli):
    _, problems = validate_text(_starter(tmp_path, cli, force="atlantis"))
    assert [p.format("plan.yaml").split(": ", 1)[1] for p in problems] == [
        "force: unknown police.uk force 'atlantis'"
    ]
    data = yaml.safe_load(_starter(tmp_path, cli))
    data["measures"][0]["geography"] = "E07000070"  # Chelmsford: Essex, not Kent
    _, problems = validate_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert [p.format("plan.yaml").split(": ", 2)[2] for p in problems] == [
        "district 'E07000070' is not in kent's area"
    ]
    data["measures"][0]["geography"] = "E07000110"  # Maidstone
    assert validate_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))[1] == []
