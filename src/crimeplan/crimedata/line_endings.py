"""Files that mix CRLF and LF line endings (a file edited on two kinds of machine, or two files
joined together) stop DuckDB's strict CSV reader part-way with "the CSV Parser state machine
reached an invalid state". Rewriting the endings to LF keeps every line where it was, so line
numbers in rejects stay true, and it is only done for a file that needs it."""

from __future__ import annotations

from pathlib import Path

CHUNK = 1 << 20


def has_mixed_line_endings(path: Path) -> bool:
    """True when the file has at least one CRLF and at least one bare LF."""
    crlf = lf = 0
    last = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            crlf += (last + chunk).count(b"\r\n")
            lf += chunk.count(b"\n")
            last = chunk[-1:]
    return crlf > 0 and lf > crlf


def write_with_lf_endings(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` with every CRLF turned into LF, reading in chunks so a large
    file never sits in memory whole."""
    held = b""
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            data = held + chunk
            # A CR at the end of a chunk may be the first half of a CRLF split across chunks.
            held = b"\r" if data.endswith(b"\r") else b""
            dst.write(data[: len(data) - len(held)].replace(b"\r\n", b"\n"))
        dst.write(held)
    return target
