"""Checking uploaded evidence by what the bytes are, not by the name or the browser's word.

A whitelist of document and image types, each recognised by its signature (and, for the Office
formats, by the parts inside the zip), with a size limit from settings. Anything else is refused
with a message that names the file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

ALLOWED = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "text/csv": "CSV file",
    "text/plain": "Text file",
}
ALLOWED_TEXT = ", ".join(sorted(set(ALLOWED.values())))


class EvidenceRejected(ValueError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int


def sniff(head: bytes, whole: bytes | None = None, name: str = "") -> str | None:
    """The content type the bytes show, from the whitelist, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(whole)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, kind in (
                ("word/", "wordprocessingml.document"),
                ("xl/", "spreadsheetml.sheet"),
                ("ppt/", "presentationml.presentation"),
            ):
                if any(n.startswith(prefix) for n in names):
                    return f"application/vnd.openxmlformats-officedocument.{kind}"
        return None
    if whole is not None and b"\x00" not in whole:
        try:
            whole.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    limit = settings.CRIMEPLAN_EVIDENCE_MAX_BYTES
    name = upload.name or "the file"
    if upload.size is not None and upload.size > limit:
        raise EvidenceRejected(
            f"{name} is {upload.size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
        )
    upload.seek(0)
    whole = upload.read()
    upload.seek(0)
    if not whole:
        raise EvidenceRejected(f"{name} is empty.")
    kind = sniff(whole[:16], whole, name)
    if kind is None:
        raise EvidenceRejected(
            f"{name} is not a file type we accept (by its content). Accepted: {ALLOWED_TEXT}."
        )
    return CheckedFile(kind, len(whole))
