"""Consultation pages: answering a survey (anyone, no sign-in), its published results, and the
analysts' pages for tagging answers with themes and exporting responses.

The rules for taking a response are in :mod:`crimeplan.consultation.responding`; the figures
in :mod:`crimeplan.consultation.results`. Views only read the request and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crimeplan.consultation.models import (
    PUBLIC_PHASES,
    Answer,
    Phase,
    QuestionKind,
    Survey,
)
from crimeplan.consultation.permissions import can_analyse
from crimeplan.consultation.responding import (
    HONEYPOT_FIELD,
    RateLimited,
    SurveyClosed,
    take_response,
)
from crimeplan.consultation.results import survey_results
from crimeplan.consultation.themes import ThemeError, add_theme, tag_answer
from crimeplan.measures.comparison_chart import bar_chart_svg


def _public_survey(slug: str) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("plan"), slug=slug)
    if survey.phase not in PUBLIC_PHASES or not survey.plan.is_public:
        raise Http404("No survey with that name is public.")
    return survey


def _analysed_survey(request: HttpRequest, slug: str) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("plan"), slug=slug)
    if not can_analyse(request.user, survey):
        raise PermissionDenied("Only the plan's analysts may see individual answers.")
    return survey


def _breadcrumbs(survey: Survey | None = None) -> list[dict[str, str]]:
    crumbs = [{"text": "Have your say", "href": reverse("consultation:survey_list")}]
    if survey is not None:
        crumbs.append({"text": survey.title, "href": survey.get_absolute_url()})
    return crumbs


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.filter(phase__in=PUBLIC_PHASES).select_related(
        "plan", "engagement_stage"
    )
    surveys = [s for s in surveys if s.plan.is_public]
    return render(request, "consultation/survey_list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _public_survey(slug)
    questions = list(survey.questions.all())
    context = {
        "survey": survey,
        "questions": [q for q in questions if not q.demographic],
        "about_you": [q for q in questions if q.demographic],
        "errors": {},
        "values": {},
        "honeypot": HONEYPOT_FIELD,
        "breadcrumbs": _breadcrumbs(),
    }
    if request.method == "GET":
        return render(request, "consultation/survey_page.html", context)
    try:
        checked, _response = take_response(survey, request.POST, _address(request))
    except SurveyClosed:
        context["refused"] = "This survey is closed, so it is not taking answers."
        return render(request, "consultation/survey_page.html", context, status=409)
    except RateLimited:
        context["refused"] = (
            "We have had several answers from your connection in the last hour. "
            "Please try again later."
        )
        return render(request, "consultation/survey_page.html", context, status=429)
    if checked.errors:
        context.update(errors=checked.errors, values=checked.values)
        return render(request, "consultation/survey_page.html", context, status=400)
    return redirect("consultation:thanks", slug=survey.slug)


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _public_survey(slug)
    return render(
        request,
        "consultation/thanks.html",
        {"survey": survey, "breadcrumbs": _breadcrumbs(survey)},
    )


@require_GET
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("plan"), slug=slug)
    published = survey.phase == Phase.RESULTS_PUBLISHED and survey.plan.is_public
    analyst_preview = survey.phase == Phase.CLOSED and can_analyse(request.user, survey)
    if not (published or analyst_preview):
        raise Http404("This survey's results are not published yet.")
    results = survey_results(survey)
    charts = {}
    for result in results.questions:
        shown = [(label, count.value) for label, count in result.counts if not count.hidden]
        if shown and len(shown) == len(result.counts):
            charts[result.question.pk] = bar_chart_svg(
                shown, result.question.text, "Respondents", value_format=",d"
            )
    themes = survey.themes.prefetch_related("commitments__priority").order_by("name")
    return render(
        request,
        "consultation/results.html",
        {
            "survey": survey,
            "results": results,
            "charts": charts,
            "themes": themes,
            "preview": not published,
            "breadcrumbs": _breadcrumbs(survey),
        },
    )


@require_http_methods(["GET", "POST"])
def analyse_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _analysed_survey(request, slug)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                if request.POST.get("action") == "add-theme":
                    theme = add_theme(
                        survey,
                        request.POST.get("name", ""),
                        request.POST.get("description", ""),
                        request.POST.getlist("commitments"),
                    )
                    messages.success(request, f"Theme “{theme.name}” added.")
                else:
                    answer = get_object_or_404(
                        Answer, pk=request.POST.get("answer"), response__survey=survey
                    )
                    tag_answer(answer, request.POST.getlist("themes"))
                    messages.success(request, "Themes saved for that answer.")
            return redirect(reverse("consultation:analyse", args=[survey.slug]) + "#answers")
        except ThemeError as exc:
            error = str(exc)
    answers = (
        Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT)
        .select_related("question", "response")
        .prefetch_related("themes")
        .order_by("question__order", "response__submitted_at", "id")
    )
    commitments = survey.plan.commitments.select_related("priority").order_by(
        "priority__number", "letter"
    )
    return render(
        request,
        "consultation/analyse.html",
        {
            "survey": survey,
            "answers": answers,
            "themes": list(survey.themes.all()),
            "commitments": commitments,
            "error": error,
            "breadcrumbs": _breadcrumbs(survey),
        },
        status=400 if error else 200,
    )


@require_GET
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    from crimeplan.consultation.export import as_csv, as_xlsx

    survey = _analysed_survey(request, slug)
    if fmt == "csv":
        response = HttpResponse(as_csv(survey), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            as_xlsx(survey),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-responses.{fmt}"'
    return response


@require_POST
def set_phase(request: HttpRequest, slug: str) -> HttpResponse:
    from crimeplan.consultation.phases import PhaseError, move_phase

    survey = _analysed_survey(request, slug)
    try:
        move_phase(survey, request.POST.get("phase", ""))
    except PhaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The survey is now {survey.get_phase_display().lower()}.")
    return redirect("consultation:analyse", slug=survey.slug)
