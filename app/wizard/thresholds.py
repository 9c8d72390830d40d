"""Thresholds and the procedure guidance they give: which part of LOU an estimated value falls
under. Guidance with the paragraph it rests on, never legal advice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.data.files import load_model
from app.data.local_text import LocalText
from app.data.numbers import format_number, parse_number
from app.i18n import gettext_

THRESHOLDS_FILE = Path("reference") / "thresholds.yaml"


class ThresholdPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    valid_from: date
    valid_to: date
    confirmed: bool
    source: LocalText
    direct_award_sek: int = Field(gt=0)
    central_goods_services_sek: int = Field(gt=0)
    other_goods_services_sek: int = Field(gt=0)
    works_sek: int = Field(gt=0)
    social_services_sek: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdPeriod:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    periods: list[ThresholdPeriod] = Field(min_length=1)

    def current(self, today: date | None = None) -> ThresholdPeriod:
        """The period in force on `today`, else the newest one."""
        today = today or date.today()
        for period in self.periods:
            if period.valid_from <= today <= period.valid_to:
                return period
        return max(self.periods, key=lambda period: period.valid_from)


def load_thresholds(wizard_dir: Path) -> Thresholds:
    return load_model(Thresholds, wizard_dir / THRESHOLDS_FILE)


@dataclass(frozen=True)
class ProcedureGuidance:
    """What the estimated value means for the procedure, for the officer to weigh."""

    summary: str
    detail: str
    reference: str
    threshold_sek: int | None
    source: str
    confirmed: bool


def procedure_guidance(
    answers: Mapping[str, Any], thresholds: Thresholds, today: date | None = None
) -> ProcedureGuidance | None:
    value = (
        parse_number(answers.get("estimated_value"))
        if answers.get("estimated_value")
        not in (
            None,
            "",
        )
        else None
    )
    if value is None:
        return None
    period = thresholds.current(today)
    object_type = answers.get("object_type")
    if object_type == "byggentreprenad":
        threshold = period.works_sek
    elif object_type == "tjanst" and answers.get("social_services") is True:
        threshold = period.social_services_sek
    elif answers.get("authority_type") == "central_government":
        threshold = period.central_goods_services_sek
    else:
        threshold = period.other_goods_services_sek
    source = period.source.get_for_locale()

    amount = format_number(threshold)
    if value <= period.direct_award_sek:
        return ProcedureGuidance(
            summary=gettext_("The value is within the direct award limit."),
            detail=gettext_(
                "Up to %(limit)s SEK a contract may be awarded directly, without a tender "
                "procedure. A function-based description of the need still helps you compare "
                "offers. Remember that purchases of the same kind during the year are added "
                "together.",
                limit=format_number(period.direct_award_sek),
            ),
            reference="LOU 19 a kap.",
            threshold_sek=period.direct_award_sek,
            source=source,
            confirmed=period.confirmed,
        )
    if value < threshold:
        return ProcedureGuidance(
            summary=gettext_(
                "The value is below the EU threshold (%(amount)s SEK).", amount=amount
            ),
            detail=gettext_(
                "The national rules for procurements below the thresholds apply, with the "
                "simplified procedure or the selective procedure among the choices."
            ),
            reference="LOU 19 kap.",
            threshold_sek=threshold,
            source=source,
            confirmed=period.confirmed,
        )
    return ProcedureGuidance(
        summary=gettext_(
            "The value is at or above the EU threshold (%(amount)s SEK).", amount=amount
        ),
        detail=gettext_(
            "The EU-based procedures apply (for example the open or the restricted procedure) "
            "and the notice is published in the EU's database TED. Consider dividing the "
            "contract into lots; if you do not, say why."
        ),
        reference="LOU 6 kap., 4 kap. 14 §",
        threshold_sek=threshold,
        source=source,
        confirmed=period.confirmed,
    )


GUIDANCE_INPUTS = ("estimated_value", "object_type", "authority_type", "social_services")


def eu_procedure(answers: Mapping[str, Any], thresholds: Thresholds) -> bool:
    """Whether the EU-based procedures (LOU 6 kap.) and their time limits apply: the value is at
    or above the threshold, and the contract is not for social or other specific services,
    which follow LOU 19 kap. at any value."""
    guidance = procedure_guidance(answers, thresholds)
    return (
        guidance is not None
        and guidance.reference.startswith("LOU 6")
        and answers.get("social_services") is not True
    )
