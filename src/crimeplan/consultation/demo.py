"""Demo consultation data: the example plan's survey open with generated responses, and an
earlier (generated) survey closed with its results and themes published, so "you said, we did"
has something to show. Every generated response is marked synthetic and the demo survey says
so in its title. Running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from django.db import transaction

from crimeplan.consultation.models import Answer, Phase, QuestionKind, Response, Survey
from crimeplan.consultation.responding import Checked, submit
from crimeplan.consultation.surveyfile import import_file, import_loaded, validate_text
from crimeplan.consultation.themes import add_theme

PLAN = "essex-police-and-crime-plan-2016-2020"
DEMO_SLUG = "essex-community-safety-survey-demo"

DEMO_FILE = f"""
plan: {PLAN}
surveys:
- slug: {DEMO_SLUG}
  title: Community safety survey (demo data)
  stage: Engagement begins
  phase: open
  introduction: A generated survey for the demo; its answers are synthetic.
  privacy_notice: No personal details are asked for. These answers are generated for the demo.
  questions:
  - key: worries
    kind: multiple_choice
    text: What worries you most where you live?
    choices: [Speeding, Burglary, Anti-social behaviour, Drug dealing, Knife crime]
  - key: police-visible
    kind: rating
    text: How often do you see police officers in your area?
    scale: {{min: 1, max: 5, min_label: Never, max_label: Every day}}
  - key: suggestions
    kind: free_text
    text: What one thing would make your area safer?
  - key: age
    kind: single_choice
    demographic: true
    text: How old are you?
    choices: ["Under 18", "18 to 34", "35 to 54", "55 to 74", "75 or over"]
"""

SUGGESTIONS = {
    "More police on foot in the town centre": "visible-policing",
    "See a PCSO walking round the estate now and then": "visible-policing",
    "Cameras to catch speeding drivers on the main road": "speeding",
    "Speed checks outside the school": "speeding",
    "Somewhere for teenagers to go in the evening": "youth",
    "Youth clubs so kids are not hanging about": "youth",
    "Deal with the dealers outside the shops": "drugs",
}
THEMES = {
    "visible-policing": ("Seeing police in the neighbourhood", ["1h", "1b"]),
    "speeding": ("Speeding and road safety", ["7a"]),
    "youth": ("Activities for young people", ["4b", "5f"]),
    "drugs": ("Drug dealing in public places", ["5g"]),
}
WRITTEN = {
    "missing-priorities": ["Rural crime and fly-tipping", "Fraud against older people", ""],
    "working-with-communities": [
        "Come to parish council meetings and tell us what you are doing",
        "More police on foot in the town centre",
        "",
    ],
}


def _random_answers(survey: Survey, rng: np.random.Generator, n: int) -> Checked:
    checked = Checked()
    for question in survey.questions.all():
        if rng.random() < 0.15 and not question.required:
            continue
        if question.kind == QuestionKind.SINGLE:
            checked.answers[question.pk] = {"choices": [str(rng.choice(question.options))]}
        elif question.kind == QuestionKind.MULTIPLE:
            k = int(rng.integers(1, min(3, len(question.options)) + 1))
            picked = list(rng.choice(question.options, size=k, replace=False))
            checked.answers[question.pk] = {
                "choices": sorted(map(str, picked), key=question.options.index)
            }
        elif question.kind == QuestionKind.RATING:
            checked.answers[question.pk] = {"rating": int(rng.choice(question.scale))}
        else:
            pool = WRITTEN.get(question.key) or list(SUGGESTIONS)
            text = str(pool[n % len(pool)])
            if text:
                checked.answers[question.pk] = {"text": text}
    return checked


def _respond(survey: Survey, count: int, seed: int) -> int:
    if survey.responses.exists():
        return 0
    rng = np.random.default_rng(seed)
    for n in range(count):
        submit(survey, _random_answers(survey, rng, n), f"demo-{survey.slug}-{n}", synthetic=True)
    Response.objects.filter(survey=survey).update(synthetic=True)
    return count


def _themes(survey: Survey) -> None:
    if survey.themes.exists():
        return
    commitments = {c.code: c for c in survey.plan.commitments.select_related("priority")}
    made = {}
    for key, (name, codes) in THEMES.items():
        ids = [str(commitments[c].pk) for c in codes if c in commitments]
        made[key] = add_theme(survey, name, commitment_ids=ids)
    for answer in Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT):
        key = SUGGESTIONS.get(answer.text)
        if key:
            answer.themes.add(made[key])


def load_demo_consultation(examples: Path, seed: int = 1) -> list[str]:
    """Import the example consultation files, then add the generated responses and themes."""
    lines = []
    with transaction.atomic():
        for path in sorted((examples / "consultation").glob("*.yaml")):
            result = import_file(path)
            lines.append(f"{path.name}: created {len(result.created)}")
        import_loaded(validate_text(DEMO_FILE, "demo"), "demo")
        example = Survey.objects.filter(plan__slug=PLAN).exclude(slug=DEMO_SLUG).first()
        if example is not None and example.is_open:
            lines.append(f"{example.slug}: {_respond(example, 40, seed)} synthetic responses")
        demo = Survey.objects.get(slug=DEMO_SLUG)
        if demo.phase == Phase.OPEN:
            lines.append(f"{demo.slug}: {_respond(demo, 120, seed + 1)} synthetic responses")
            demo.phase = Phase.CLOSED
            demo.save(update_fields=["phase"])
        _themes(demo)
        if demo.phase == Phase.CLOSED:
            demo.phase = Phase.RESULTS_PUBLISHED
            demo.save(update_fields=["phase"])
        if not demo.synthetic:
            demo.synthetic = True
            demo.save(update_fields=["synthetic"])
    return lines
