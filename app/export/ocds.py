"""The draft as an OCDS 1.1 release package with the requirements extension: the tender with
its items and CPV classification, one criterion per accepted requirement (with a requirement
group and the requirement, typed and bounded when the requirement has a value), and the lots.
Open-data portals and e-tendering tools read it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.document import RequirementData, TenderDraft
from app.export.values import filled_text
from app.export.view import tender_view
from app.i18n import use_locale

if TYPE_CHECKING:
    from app.content import Content

OCDS_VERSION = "1.1"
OCID_PREFIX = "ocds-kravlotsen"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
]
PACKAGE_URI = "urn:kravlotsen:draft:{id}:v{version}"

# Words just before a value that make it an upper or a lower bound.
_UPPER = re.compile(
    r"(högst|max(imalt)?|inom|senast|at most|no more than|within|maximum)\s*$", re.I
)
_LOWER = re.compile(r"(minst|lägst|minimum|at least|no less than)\s*$", re.I)
_CATEGORIES = {"goods": "goods", "varor": "goods", "works": "works", "byggentreprenad": "works"}


def _text(value: object) -> str | None:
    """A text field: OCDS forbids empty strings, so nothing is left out instead."""
    text = str(value or "").strip()
    return text or None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, [], {})}


def ocds_requirement(requirement: RequirementData) -> dict[str, Any]:
    """A requirement with its data type and, for one numeric value, the bound it sets."""
    found: dict[str, Any] = {
        "id": requirement.number or f"R{requirement.id}",
        "title": _text(requirement.title),
        "description": _text(filled_text(requirement)),
    }
    numeric = {
        name: value
        for name, value in requirement.parameters.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    if len(numeric) == 1:
        name, value = next(iter(numeric.items()))
        found["dataType"] = "integer" if isinstance(value, int) else "number"
        before = requirement.text.split("{" + name + "}", 1)[0]
        if _UPPER.search(before):
            found["maxValue"] = value
        elif _LOWER.search(before):
            found["minValue"] = value
        else:
            found["expectedValue"] = value
    elif requirement.obligation == "ska":
        # A mandatory requirement without a value is answered met or not met.
        found["dataType"] = "boolean"
        found["expectedValue"] = True
    else:
        found["dataType"] = "string"
    return _compact(found)


def _criterion(requirement: RequirementData, lots: list[str]) -> dict[str, Any]:
    section = requirement.number[1:].split(".")[0] if requirement.number else ""
    description = requirement.motive
    if requirement.obligation == "bor" and requirement.weight is not None:
        description = f"{description} ({requirement.weight:g})".strip()
    number = requirement.number or f"R{requirement.id}"
    return _compact(
        {
            "id": number,
            "title": _text(requirement.title),
            "description": _text(description),
            "relatesToTenderer": section == "1",
            "relatedLots": lots or None,
            "requirementGroups": [
                {"id": f"{number}-1", "requirements": [ocds_requirement(requirement)]}
            ],
        }
    )


def build_release_package(draft: TenderDraft, content: Content | None) -> dict[str, Any]:
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        answers = view.answers
        moment = draft.updated_at or draft.created_at or datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        date = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
        identifier = str(draft.id or 0)
        ocid = f"{OCID_PREFIX}-{identifier}"
        lot_count = answers.whole_number("lot_count") if answers.raw("lots") is True else None
        lots = [
            _compact({"id": str(number), "title": f"{number}", "status": "planned"})
            for number in range(1, (lot_count or 0) + 1)
        ]
        items = [
            _compact(
                {
                    "id": str(index),
                    "description": _text(name) or code,
                    "classification": {"scheme": "CPV", "id": code, "description": _text(name)},
                    "relatedLot": lots[0]["id"] if len(lots) == 1 else None,
                }
            )
            for index, (code, name) in enumerate(view.cpv, start=1)
        ]
        for item in items:
            item["classification"] = _compact(item["classification"])
        value = answers.number("estimated_value")
        buyer = {"id": "buyer", "name": draft.organisation}
        tender = _compact(
            {
                "id": _text(answers.text("reference_number")) or identifier,
                "title": _text(draft.title),
                "description": _text(answers.text("problem")),
                "status": "planning" if not draft.is_approved else "planned",
                "procuringEntity": buyer,
                "items": items,
                "value": {"amount": float(value), "currency": "SEK"} if value is not None else None,
                "procurementMethodDetails": _text(view.procedure_name),
                "mainProcurementCategory": _CATEGORIES.get(
                    str(answers.raw("object_type") or ""), "services"
                ),
                "criteria": [
                    _criterion(requirement, [lot["id"] for lot in lots])
                    for requirement in view.requirements
                ],
                "lots": lots,
            }
        )
        release = {
            "ocid": ocid,
            "id": f"{ocid}-v{draft.version}",
            "date": date,
            "tag": ["planning"] if not draft.is_approved else ["tender"],
            "initiationType": "tender",
            "language": locale,
            "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}],
            "buyer": buyer,
            "tender": tender,
        }
        return {
            "uri": PACKAGE_URI.format(id=identifier, version=draft.version),
            "version": OCDS_VERSION,
            "extensions": EXTENSIONS,
            "publishedDate": date,
            "publisher": {"name": draft.organisation},
            "releases": [release],
        }


def render_release_package(draft: TenderDraft, content: Content | None) -> bytes:
    """The release package as UTF-8 JSON bytes."""
    package = build_release_package(draft, content)
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
