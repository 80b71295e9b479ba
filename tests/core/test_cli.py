"""The ``crimeplan`` root: product commands only, each with help and an example, and a
``--help`` that loads neither Django nor the libraries the commands use."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from crimeplan.cli import COMMANDS, DJANGO_COMMANDS, cli

PRODUCT = {"check", "data", "demo", "fetch", "hotspots", "ingest", "manage", "measures", "plan"}
PRODUCT |= {"synth", "backup", "restore", "serve", "survey"}


def test_help_lists_the_product_commands_and_nothing_of_djangos():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n")[1].splitlines()
    names = [line.split()[0] for line in listed if line.strip()]
    assert names == sorted(PRODUCT)
    for line in listed:
        assert not line.rstrip().endswith("..."), f"help cut short: {line}"
    assert "migrate" not in names and "runserver" not in names


@pytest.mark.parametrize("name", sorted(set(COMMANDS) | set(DJANGO_COMMANDS)))
def test_every_command_has_an_example(name):
    command = cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None and command.help
    assert "Example:\n" in command.help and f"crimeplan {name}" in command.help
    for sub in getattr(command, "commands", {}).values():
        assert f"crimeplan {name} {sub.name}" in (sub.help or ""), sub.name


def test_help_imports_no_django_and_no_library():
    code = (
        "import sys\n"
        "from crimeplan.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('django', 'duckdb', 'numpy', 'rich', 'yaml') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr


def test_usage_errors_exit_2_and_bad_input_exits_1(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["plan", "validate"]).exit_code == 2
    assert runner.invoke(cli, ["no-such-command"]).exit_code == 2
    missing = runner.invoke(cli, ["plan", "validate", str(tmp_path / "missing.yaml")])
    assert missing.exit_code == 1
    assert missing.stderr.splitlines() == [
        f"{tmp_path / 'missing.yaml'}: no such file",
        "Error: 1 of 1 plan file(s) refused",
    ]
