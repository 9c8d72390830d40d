"""What the tender document is made of, worked out once from the draft: which chapters have
content and their numbers, the requirements by section, the procedure, the evaluation model,
the annexes and the trace table. The templates in templates/pdf/ only lay it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.document import RequirementData, TenderDraft
from app.export.reference import AnnexKind, DocumentReference, default_reference
from app.export.values import Answers, anchor
from app.i18n import _, ngettext_
from app.wizard.thresholds import ProcedureGuidance, eu_procedure, procedure_guidance

if TYPE_CHECKING:
    from app.content import Content

# Answers that feed each chapter; a chapter none of them feeds (and with no requirements of
# its own) is left out of the document.
INFORMATION_ANSWERS = (
    "organisation_unit reference_number contact_name contact_email object_type area cpv_codes "
    "estimated_value contract_length_months framework_agreement contract_period_months "
    "extension_options contract_options lots publication_date questions_deadline "
    "tender_deadline tender_validity_months award_date contract_start submission_method "
    "procedure"
).split()
BACKGROUND_ANSWERS = ("current_situation", "problem", "affected", "consequence_if_nothing")
QUALIFICATION_ANSWERS = ("espd_used", "turnover_requirement_sek", "references_required")
EVALUATION_ANSWERS = ("award_model", "quality_criteria", "evaluation_notes")
CONTRACT_ANSWERS = ("price_model", "price_unit", "price_adjustment", "general_terms_reference")


@dataclass(frozen=True)
class Chapter:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class Annex:
    number: int
    kind: AnnexKind
    name: str
    description: str
    anchor: str | None  # the annex's place in this document, when Kravlotsen writes it
    detail: str = ""
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criterion:
    requirement: RequirementData
    share: Decimal | None  # weight in per cent, or added value in kronor


@dataclass(frozen=True)
class Evaluation:
    model: str
    method: str
    price_weight: Decimal | None
    added_value_total: Decimal | None
    criteria: list[Criterion]
    scale: list[tuple[str, str]]


@dataclass(frozen=True)
class TraceRow:
    need_key: str
    need: str
    goals: list[str]
    requirements: list[str]


@dataclass
class TenderView:
    draft: TenderDraft
    answers: Answers
    requirements: list[RequirementData]
    sections: dict[int, list[RequirementData]]
    chapters: list[Chapter]
    procedure: ProcedureGuidance | None
    procedure_name: str
    eu_procedure: bool
    cpv: list[tuple[str, str]]
    evaluation: Evaluation | None
    annexes: list[Annex]
    annexes_of: dict[str, list[Annex]] = field(default_factory=dict)
    trace: list[TraceRow] = field(default_factory=list)
    untraced: list[str] = field(default_factory=list)

    def has(self, chapter_id: str) -> bool:
        return any(chapter.id == chapter_id for chapter in self.chapters)

    def number(self, chapter_id: str) -> int:
        return next(chapter.number for chapter in self.chapters if chapter.id == chapter_id)

    def annex(self, kind_id: str) -> Annex | None:
        return next((annex for annex in self.annexes if annex.kind.id == kind_id), None)

    @property
    def timetable(self) -> list[tuple[str, str]]:
        labels = (
            ("publication_date", _("Publication of the notice")),
            ("questions_deadline", _("Last day for questions")),
            ("tender_deadline", _("Tender deadline")),
            ("award_date", _("Planned award decision")),
            ("contract_start", _("Planned contract start")),
        )
        rows = [
            (label, self.answers.date_text(question_id))
            for question_id, label in labels
            if self.answers.text(question_id)
        ]
        validity = self.validity_text
        if validity:
            rows.insert(3, (_("Tenders valid"), validity))
        return rows

    @property
    def validity_text(self) -> str:
        months = self.answers.whole_number("tender_validity_months")
        if months is None:
            return ""
        length = ngettext_("%(num)s month", "%(num)s months", months)
        deadline = self.answers.day("tender_deadline")
        if deadline is None:
            return _("%(length)s after the tender deadline", length=length)
        until = _add_months(deadline, months)
        return _(
            "%(length)s after the tender deadline, until %(date)s",
            length=length,
            date=self.answers.long_date(until),
        )


def tender_view(draft: TenderDraft, content: Content | None, locale: str) -> TenderView:
    answers = Answers(draft, content, locale)
    requirements = draft.document_requirements()
    sections: dict[int, list[RequirementData]] = {1: [], 2: [], 3: [], 4: []}
    for requirement in requirements:
        section = int(requirement.number[1:].split(".")[0])
        sections[section if section in sections else 2].append(requirement)
    reference = (
        content.document_reference
        if content is not None and content.document_reference is not None
        else default_reference()
    )
    guidance = (
        procedure_guidance(draft.answers, content.thresholds) if content is not None else None
    )
    view = TenderView(
        draft=draft,
        answers=answers,
        requirements=requirements,
        sections=sections,
        chapters=[],
        procedure=guidance,
        procedure_name=_procedure_name(answers, guidance),
        eu_procedure=content is not None and eu_procedure(draft.answers, content.thresholds),
        cpv=_cpv(draft, reference, locale),
        evaluation=_evaluation(answers, sections[3]),
        annexes=_annexes(answers, requirements, reference, locale),
    )
    for annex in view.annexes:
        for number in annex.requirements:
            view.annexes_of.setdefault(number, []).append(annex)
    view.trace, view.untraced = _trace(draft, requirements)
    view.chapters = _chapters(view)
    return view


def _chapters(view: TenderView) -> list[Chapter]:
    answers, sections = view.answers, view.sections
    present = [
        ("information", _("About the procurement"), answers.given(*INFORMATION_ANSWERS)),
        (
            "background",
            _("Background and needs"),
            answers.given(*BACKGROUND_ANSWERS) or bool(view.draft.needs or view.draft.effect_goals),
        ),
        (
            "qualification",
            _("Qualification of tenderers"),
            bool(sections[1]) or answers.given(*QUALIFICATION_ANSWERS),
        ),
        ("specification", _("Requirements on what is procured"), bool(sections[2])),
        ("evaluation", _("Evaluation and award"), bool(sections[3]) or view.evaluation is not None),
        (
            "contract",
            _("Contract conditions and price"),
            bool(sections[4]) or answers.given(*CONTRACT_ANSWERS),
        ),
        ("annexes", _("Annexes"), bool(view.annexes)),
    ]
    chapters: list[Chapter] = []
    for chapter_id, title, shown in present:
        if shown:
            chapters.append(Chapter(chapter_id, len(chapters) + 1, title))
    return chapters


def _procedure_name(answers: Answers, guidance: ProcedureGuidance | None) -> str:
    """The procedure chosen, or the one the estimated value leads to."""
    chosen = answers.text("procedure")
    if chosen:
        return chosen
    if guidance is None:
        return ""
    if guidance.reference.startswith("LOU 19 a"):
        return _("Direct award (LOU 19 a kap.)")
    if guidance.reference.startswith("LOU 19") or answers.raw("social_services") is True:
        return _("Simplified procedure (LOU 19 kap.)")
    return _("Open procedure (LOU 6 kap.)")


def _cpv(draft: TenderDraft, reference: DocumentReference, locale: str) -> list[tuple[str, str]]:
    raw = draft.answers.get("cpv_codes")
    codes = raw if isinstance(raw, list) else str(raw or "").replace(";", ",").split(",")
    found = []
    for code in codes:
        text = str(code.get("code", "") if isinstance(code, dict) else code).strip()
        if text:
            found.append((text, reference.cpv.name(text, locale)))
    return found


def _evaluation(answers: Answers, criteria: list[RequirementData]) -> Evaluation | None:
    model = str(answers.raw("award_model") or "")
    if not model and not criteria:
        return None
    method = str(answers.raw("quality_method") or "") if model == "best_price_quality" else ""
    price_weight = answers.number("price_weight_percent") if method == "weights" else None
    total = answers.number("added_value_total_sek") if method == "added_value_sek" else None
    shares: list[Decimal | None] = [None] * len(criteria)
    if method == "weights":
        shares = [_decimal(item.weight) for item in criteria]
    elif total is not None and criteria:
        weights = [_decimal(item.weight) or Decimal(0) for item in criteria]
        if sum(weights) <= 0:
            weights = [Decimal(1)] * len(criteria)
        shares = [(total * weight / sum(weights)).quantize(Decimal(1)) for weight in weights]
    return Evaluation(
        model=model,
        method=method,
        price_weight=price_weight,
        added_value_total=total,
        criteria=[Criterion(item, share) for item, share in zip(criteria, shares, strict=True)],
        scale=scoring_scale(str(answers.raw("scoring_scale") or "")),
    )


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def scoring_scale(scale: str) -> list[tuple[str, str]]:
    """What each score of a scale means, for the tenderer to read before writing."""
    none = _("Not described, or the description does not show how the criterion is met.")
    small = _("Meets the criterion to a small extent: the benefit for the needs is unclear.")
    some = _("Meets the criterion to some extent, with a benefit for the needs.")
    well = _("Meets the criterion well, with a clear benefit for the needs and effect goals.")
    very = _(
        "Meets the criterion very well, with a clear and verifiable benefit for the effect goals."
    )
    best = _(
        "Meets the criterion excellently: the benefit for the effect goals is clear, verifiable "
        "and larger than in a good answer."
    )
    if scale == "0-3":
        return [("0", none), ("1", some), ("2", well), ("3", very)]
    if scale == "0-5":
        return [("0", none), ("1", small), ("2", some), ("3", well), ("4", very), ("5", best)]
    if scale == "0-10":
        return [
            ("0", none),
            ("1–3", small),
            ("4–6", some),
            ("7–8", well),
            ("9", very),
            ("10", best),
        ]
    return []


def _annexes(
    answers: Answers,
    requirements: list[RequirementData],
    reference: DocumentReference,
    locale: str,
) -> list[Annex]:
    texts = {
        requirement.number: f"{requirement.text}\n{requirement.verification}".lower()
        for requirement in requirements
    }
    annexes: list[Annex] = []
    for kind in reference.annexes.annexes:
        phrases = kind.phrases.get(locale)
        referring = tuple(
            number for number, text in texts.items() if any(phrase in text for phrase in phrases)
        )
        answered = kind.answer is not None and answers.given(kind.answer)
        if kind.always:
            wanted = bool(requirements) and (kind.id != "trace_table" or bool(answers.draft.needs))
        else:
            wanted = bool(referring) or answered
        if not wanted:
            continue
        produced = kind.produced_by_kravlotsen and (kind.answer is None or answered)
        annexes.append(
            Annex(
                number=len(annexes) + 1,
                kind=kind,
                name=kind.name.get(locale),
                description=kind.description.get(locale),
                anchor=f"annex-{kind.id.replace('_', '-')}" if produced else None,
                detail=answers.text(kind.answer) if kind.answer and not produced else "",
                requirements=referring,
            )
        )
    return annexes


def _trace(
    draft: TenderDraft, requirements: list[RequirementData]
) -> tuple[list[TraceRow], list[str]]:
    """Each need with the effect goals and the requirements that serve it, and the requirements
    that serve no need."""
    rows = []
    for need in draft.needs:
        goals = [goal.key for goal in draft.effect_goals if need.key in goal.needs]
        serving = [
            requirement.number
            for requirement in requirements
            if need.key in requirement.needs or set(goals) & set(requirement.effect_goals)
        ]
        rows.append(TraceRow(need.key, need.what, goals, serving))
    need_keys = {need.key for need in draft.needs}
    untraced = [
        requirement.number
        for requirement in requirements
        if not need_keys & set(requirement.needs) and not requirement.effect_goals
    ]
    return rows, untraced


def _add_months(moment: date, months: int) -> date:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    for day in range(moment.day, 0, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return moment + timedelta(days=30 * months)


def need_anchor(key: str) -> str:
    return anchor("need", key)
