"""Exit 0 when the PostgreSQL server in DATABASE_URL form answers, 1 otherwise (for make test)."""

import sys

import psycopg

try:
    url = sys.argv[1]
    psycopg.connect(url, connect_timeout=3).close()
except (psycopg.Error, IndexError) as exc:
    print(f"PostgreSQL check: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
