"""Responses as a table for analysts: one row per counted response, one column per question.

Nothing that identifies a respondent is written: no address hash, no database id, no time of
day (the date only). Rows are numbered in the order they were received. Free-text answers are
exported as written; the survey asks people not to put personal details in them.
"""

from __future__ import annotations

import csv
import io

from crimeplan.consultation.models import Answer, Survey
from crimeplan.consultation.results import counted_responses


def response_table(survey: Survey) -> tuple[list[str], list[list[str]]]:
    questions = list(survey.questions.all())
    header = ["response", "date"]
    for question in questions:
        header.append(question.key)
        if question.kind == "free_text":
            header.append(f"{question.key} (themes)")
    responses = list(counted_responses(survey).order_by("submitted_at", "id"))
    answers: dict[tuple[int, int], Answer] = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(response__in=responses).prefetch_related("themes")
    }
    rows = []
    for number, response in enumerate(responses, start=1):
        row = [str(number), response.submitted_at.date().isoformat()]
        for question in questions:
            answer = answers.get((response.pk, question.pk))
            if answer is None:
                row.append("")
            elif question.kind == "free_text":
                row.append(answer.text)
            elif question.kind == "rating":
                row.append(str(answer.rating))
            else:
                row.append("; ".join(answer.choices))
            if question.kind == "free_text":
                themes = sorted(t.name for t in answer.themes.all()) if answer else []
                row.append("; ".join(themes))
        rows.append(row)
    return header, rows


def _safe(cell: str) -> str:
    """Spreadsheet programs run a cell that starts with = + - @ as a formula; a respondent's
    text must never become one."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def as_csv(survey: Survey) -> str:
    header, rows = response_table(survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_safe(c) for c in row] for row in rows])
    return out.getvalue()


def as_xlsx(survey: Survey) -> bytes:
    from openpyxl import Workbook

    header, rows = response_table(survey)
    book = Workbook()
    sheet = book.active
    sheet.title = "responses"
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
