"""What the Krav page shows: the requirements by section (K1-K4) with what is left to decide,
filtered by status and need, each with its reasons and the source of its values; the needs,
goals and requirements without a confirmed link; hints; what waits for the dialogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.content import Content
from app.document import EffectGoalData, NeedData, RequirementData, TenderDraft
from app.drafts.requirements import SECTION_OF_TYPE, section_of
from app.library.engine import Hint, held_back, hints, on_innovation_path
from app.library.explain import ParameterNote, parameter_notes, reason_text
from app.library.loader import Library
from app.library.schema import Template

STATUS_FILTERS = ("suggested", "accepted", "rejected", "review")
# A need filter for requirements that serve no need yet.
UNLINKED = "none"


@dataclass
class Section:
    number: int
    type: str
    requirements: list[RequirementData]
    total: int
    to_decide: int
    accepted: int
    rejected: int
    to_review: int


@dataclass
class RequirementsView:
    sections: list[Section]
    status: str
    need: str
    shown: int
    total: int
    unserved_needs: list[NeedData]
    unserved_goals: list[EffectGoalData]
    serving_nothing: list[RequirementData]
    reasons: dict[int, list[str]] = field(default_factory=dict)
    values: dict[int, list[ParameterNote]] = field(default_factory=dict)
    hints: list[Hint] = field(default_factory=list)
    held_back: list[Template] = field(default_factory=list)
    innovation_path: bool = False


def confirmed_links(document: TenderDraft) -> tuple[set[str], set[str]]:
    """The needs and goals some included requirement is confirmed to serve (a goal also
    through a need it follows from)."""
    included = document.included_requirements()
    needs = {key for item in included for key in item.needs}
    goals = {key for item in included for key in item.effect_goals}
    goals |= {goal.key for goal in document.effect_goals if needs.intersection(goal.needs)}
    return needs, goals


def serving_nothing(document: TenderDraft) -> list[RequirementData]:
    """Accepted requirements that serve no need the officer confirmed."""
    return [item for item in document.requirements if item.status == "accepted" and not item.needs]


def _matches(item: RequirementData, status: str, need: str) -> bool:
    if status == "review" and not item.needs_review:
        return False
    if status in ("suggested", "accepted", "rejected") and item.status != status:
        return False
    if need == UNLINKED:
        return not item.needs and not item.proposed_needs
    return not need or need in item.needs or need in item.proposed_needs


def requirements_view(
    document: TenderDraft,
    content: Content,
    library: Library,
    locale: str,
    area_names: Mapping[str, str],
    *,
    status: str = "",
    need: str = "",
) -> RequirementsView:
    status = status if status in STATUS_FILTERS else ""
    need_keys = {item.key for item in document.needs}
    need = need if need in need_keys or need == UNLINKED else ""
    questions = content.wizard.questions
    language = document.language
    sections = []
    for requirement_type, number in sorted(SECTION_OF_TYPE.items(), key=lambda item: item[1]):
        in_section = [item for item in document.requirements if section_of(item.type) == number]
        if not in_section:
            continue
        sections.append(
            Section(
                number=number,
                type=requirement_type,
                requirements=[item for item in in_section if _matches(item, status, need)],
                total=len(in_section),
                to_decide=sum(1 for item in in_section if item.status == "suggested"),
                accepted=sum(1 for item in in_section if item.status == "accepted"),
                rejected=sum(1 for item in in_section if item.status == "rejected"),
                to_review=sum(1 for item in in_section if item.needs_review),
            )
        )
    served_needs, served_goals = confirmed_links(document)
    view = RequirementsView(
        sections=sections,
        status=status,
        need=need,
        shown=sum(len(section.requirements) for section in sections),
        total=len(document.requirements),
        unserved_needs=[item for item in document.needs if item.key not in served_needs],
        unserved_goals=[item for item in document.effect_goals if item.key not in served_goals],
        serving_nothing=serving_nothing(document),
        innovation_path=on_innovation_path(library, document.answers),
    )
    for item in document.requirements:
        if item.id is None:
            continue
        view.reasons[item.id] = [
            text
            for reason in item.reasons
            if (text := reason_text(reason, questions, locale, language, area_names))
        ]
        template = library.by_id.get(item.template_id or "")
        if template is not None and template.parameters:
            view.values[item.id] = parameter_notes(
                template, item.parameters, document.answers, questions, locale, language
            )
    taken = {item.template_id for item in document.requirements if item.template_id}
    view.hints = hints(library, document.answers, document.needs, document.effect_goals, taken)
    view.held_back = [
        template
        for template in held_back(library, document.answers, document.needs)
        if template.id not in taken
    ]
    return view
