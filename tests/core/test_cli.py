"""The ``crimeplan`` root: product commands only, each with help and an example, and a
``--help`` that loads neither Django nor the libraries the commands use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from crimeplan.cli import COMMANDS, DJANGO_COMMANDS, cli

PRODUCT = {"check", "data", "demo", "fetch", "hotspots", "ingest", "manage", "measures", "plan"}
PRODUCT |= {"synth", "backup", "restore", "serve", "survey", "delivery", "worker", "report"}


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


def _bare_env(tmp_path) -> dict[str, str]:
    """The environment of a new shell: no DEBUG, no SECRET_KEY, no settings module."""
    drop = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CRIMEPLAN_COMMAND_LINE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["CRIMEPLAN_HOME"] = str(tmp_path)
    return env


def _in_a_new_shell(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """``crimeplan ARGS`` in a new process with a new shell's environment."""
    return subprocess.run(
        [sys.executable, "-m", "crimeplan.cli", *args],
        capture_output=True,
        text=True,
        env=_bare_env(tmp_path),
        timeout=120,
    )


def test_product_commands_run_without_debug_or_a_secret_key(tmp_path, repo_dir):
    plans = sorted(str(p) for p in (repo_dir / "examples" / "plans").glob("*.yaml"))
    result = _in_a_new_shell(tmp_path, "plan", "validate", *plans)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": valid (") == len(plans)


def test_the_server_still_refuses_to_start_without_a_secret_key(tmp_path):
    result = _in_a_new_shell(tmp_path, "serve", "--bind", "127.0.0.1:8999")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "new", "--force", "kent", "-o", "{tmp}/kent.yaml"],
        ["data", "status"],
        ["data", "rejects"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_commands_set_django_up_themselves_in_a_new_process(tmp_path, args):
    # In-process tests run with Django already set up; a shell does not.
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = _in_a_new_shell(tmp_path, *argv)
    assert result.returncode == 0, result.stderr
    assert "settings are not configured" not in result.stderr


def test_hotspots_reads_settings_as_a_command_in_a_new_process(tmp_path):
    result = _in_a_new_shell(tmp_path, "hotspots", "--area", "E07000110")
    # An empty store: refused as bad input with its reason, not for want of a server's key.
    assert result.returncode == 1, result.stderr
    assert "SECRET_KEY" not in result.stderr and result.stderr.startswith("Error: ")


def test_djangos_own_commands_run_in_a_new_shell_and_runserver_refuses_in_one_line(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return _in_a_new_shell(tmp_path, "manage", *args)

    migrated = run("migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "crimeplan.sqlite3").is_file()
    refused = run("runserver", "127.0.0.1:8998", "--noreload")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: SECRET_KEY must be set")
    assert "Traceback" not in refused.stderr


def test_the_command_line_key_never_leaks_into_processes_a_command_starts(monkeypatch):
    from crimeplan.cli import django_setup

    monkeypatch.delenv("CRIMEPLAN_COMMAND_LINE", raising=False)
    django_setup()
    assert "CRIMEPLAN_COMMAND_LINE" not in os.environ
