"""The ``crimeplan`` console script: Django management with the project's settings.

One entry point keeps the CLI a thin shell; every command lives in the app that owns it.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crimeplan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["crimeplan", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
