"""The tender as open data: an OCDS 1.1 release package with the requirements extension, for
open-data portals and the tools that read OCDS.

One release describes the tender: the buyer, the object with its CPV codes as items, the
estimated value and contract period, the lots, and the requirements of the tender document as
criteria (qualification, technical specification, award, contract conditions), each with one
requirement group that is met when all its requirements are. A requirement with a figure gets
`dataType` with `minValue`, `maxValue` or `expectedValue`: "minst 99,7 procent" is a minimum,
"inom 4 timmar" a maximum."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.document import RequirementData, TenderDraft
from app.export.values import filled_text
from app.export.view import TenderView, tender_view
from app.i18n import use_locale

if TYPE_CHECKING:
    from app.content import Content
    from app.library.schema import Template

OCID_PREFIX = "ocds-kravlo"
REQUIREMENTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/"
    "master/extension.json"
)
CATEGORY = {"vara": "goods", "tjanst": "services", "byggentreprenad": "works"}
SECTIONS = {
    1: ("selection", True),
    2: ("technical", False),
    3: ("award", False),
    4: ("contract-performance", False),
}
# Words before a figure that make it a bound: "minst 3", "inom 4 timmar", "at most 2".
_MINIMUM = re.compile(r"\b(minst|lägst|åtminstone|at least|minimum|no less than)\s*$", re.I)
_MAXIMUM = re.compile(
    r"\b(högst|inom|senast|max(?:imalt|imum)?|at most|within|no more than|up to|upp till)\s*$",
    re.I,
)


def _bound(template: Template | None, name: str, language: str) -> str:
    """Whether the template's text makes the parameter a minimum, a maximum or a value."""
    if template is None:
        return "expected"
    text = template.text.get(language)
    position = text.find("{" + name + "}")
    if position < 0:
        return "expected"
    before = text[max(0, position - 40) : position]
    if _MINIMUM.search(before):
        return "min"
    if _MAXIMUM.search(before):
        return "max"
    return "expected"


def _value_fields(value: Any, bound: str) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"dataType": "boolean", "expectedValue": value}
    if isinstance(value, int | float):
        data_type = "integer" if isinstance(value, int) or float(value).is_integer() else "number"
        number: int | float = int(value) if data_type == "integer" else float(value)
        key = {"min": "minValue", "max": "maxValue"}.get(bound, "expectedValue")
        return {"dataType": data_type, key: number}
    return {"dataType": "string", "expectedValue": str(value)}


def _requirements(
    requirement: RequirementData, content: Content | None, language: str
) -> list[dict[str, Any]]:
    template = (
        content.library.by_id.get(requirement.template_id)
        if content is not None and requirement.template_id
        else None
    )
    base: dict[str, Any] = {
        "id": requirement.number,
        "title": requirement.title or requirement.number,
        "description": filled_text(requirement) or None,
    }
    figures = [
        (name, value)
        for name, value in requirement.parameters.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    if len(figures) == 1 and requirement.template_id:
        name, value = figures[0]
        return [base | _value_fields(value, _bound(template, name, language))]
    if requirement.obligation == "ska":
        first = base | {"dataType": "boolean", "expectedValue": True}
    else:
        first = base | {"dataType": "string"}
    rows = [first]
    for name, value in figures:
        rows.append(
            {
                "id": f"{requirement.number}-{name}",
                "title": f"{requirement.title} ({name})",
                **_value_fields(value, _bound(template, name, language)),
            }
        )
    return [{key: item for key, item in row.items() if item is not None} for row in rows]


def _criteria(view: TenderView, content: Content | None, language: str) -> list[dict[str, Any]]:
    criteria = []
    for section, requirements in view.sections.items():
        if not requirements:
            continue
        kind, tenderer = SECTIONS[section]
        rows: list[dict[str, Any]] = []
        for requirement in requirements:
            rows += _requirements(requirement, content, language)
        criteria.append(
            {
                "id": f"K{section}",
                "title": f"K{section}",
                "description": kind,
                "relatesToTenderer": tenderer,
                "requirementGroups": [{"id": f"K{section}-all", "requirements": rows}],
            }
        )
    return criteria


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError:
        return None


def ocds_release_package(
    draft: TenderDraft, content: Content | None, *, public_url: str = ""
) -> dict[str, Any]:
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        answers = draft.answers
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        ocid = f"{OCID_PREFIX}-{draft.id or 0}"
        approved = draft.status in ("approved", "exported")
        buyer = {"id": "buyer", "name": draft.organisation or "–"}
        tender: dict[str, Any] = {
            "id": str(answers.get("reference_number") or f"{ocid}-tender"),
            "title": draft.title,
            "status": "active" if approved else "planning",
        }
        problem = view.answers.text("problem")
        if problem:
            tender["description"] = problem
        category = CATEGORY.get(str(answers.get("object_type") or ""))
        if category:
            tender["mainProcurementCategory"] = category
        value = _number(answers.get("estimated_value"))
        if value is not None and value >= 0:
            tender["value"] = {"amount": value, "currency": "SEK"}
        months = _number(answers.get("contract_length_months"))
        if months and months > 0:
            tender["contractPeriod"] = {"durationInDays": round(months * 365.25 / 12)}
        if view.cpv:
            tender["items"] = [
                {
                    "id": str(index),
                    "description": name or code,
                    "classification": {"scheme": "CPV", "id": code, "description": name or code},
                }
                for index, (code, name) in enumerate(view.cpv, start=1)
            ]
        lot_count = _number(answers.get("lot_count")) if answers.get("lots") else None
        if lot_count and lot_count >= 1:
            tender["lots"] = [
                {"id": str(number), "title": f"{number}"} for number in range(1, int(lot_count) + 1)
            ]
        criteria = _criteria(view, content, draft.language)
        if criteria:
            tender["criteria"] = criteria
        release = {
            "ocid": ocid,
            "id": f"{ocid}-r{draft.revision}-v{draft.version}",
            "date": now,
            "tag": ["tender"] if approved else ["planning"],
            "initiationType": "tender",
            "language": draft.language,
            "parties": [buyer | {"roles": ["buyer"]}],
            "buyer": buyer,
            "tender": tender,
        }
        base = public_url.rstrip("/") or "urn:kravlotsen"
        return {
            "uri": f"{base}/drafts/{draft.id or 0}/export.ocds.json",
            "version": "1.1",
            "extensions": [REQUIREMENTS_EXTENSION],
            "publishedDate": now,
            "publisher": {"name": draft.organisation or "–"},
            "releases": [release],
        }


def render_ocds(draft: TenderDraft, content: Content | None, *, public_url: str = "") -> bytes:
    package = ocds_release_package(draft, content, public_url=public_url)
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
