"""What the tender document looks up besides the draft: the annexes it can have and the names
of CPV codes (wizard_steps/reference/annexes.yaml and cpv.yaml), validated like every data
file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.data.files import load_model
from app.data.local_text import LocalText

ANNEXES_FILE = Path("reference") / "annexes.yaml"
CPV_FILE = Path("reference") / "cpv.yaml"
CPV_CODE = re.compile(r"^\d{8}-\d$")


class Phrases(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sv: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def get(self, locale: str) -> list[str]:
        return self.en if locale == "en" else self.sv


class AnnexKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    description: LocalText
    produced_by_kravlotsen: bool = False
    always: bool = False
    answer: str | None = Field(default=None, description="the answer that brings the annex in")
    phrases: Phrases = Field(default_factory=Phrases)

    @model_validator(mode="after")
    def _lower_case(self) -> AnnexKind:
        for phrase in (*self.phrases.sv, *self.phrases.en):
            if phrase != phrase.lower():
                raise ValueError(f"phrase '{phrase}' must be lower case")
        return self


class AnnexesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    annexes: list[AnnexKind] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> AnnexesFile:
        ids = [annex.id for annex in self.annexes]
        if len(ids) != len(set(ids)):
            raise ValueError("annex ids must be unique")
        return self


class CpvFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: LocalText
    divisions: dict[str, LocalText]
    codes: dict[str, LocalText]

    @model_validator(mode="after")
    def _codes(self) -> CpvFile:
        for division in self.divisions:
            if not re.fullmatch(r"\d{2}", division):
                raise ValueError(f"CPV division '{division}' is not two digits")
        for code in self.codes:
            if not CPV_CODE.match(code):
                raise ValueError(f"CPV code '{code}' is not written NNNNNNNN-N")
        return self

    def name(self, code: str, locale: str) -> str:
        """The code's name, else its division's; empty when neither is known."""
        known = self.codes.get(code)
        if known is not None:
            return known.get(locale)
        division = self.divisions.get(code[:2])
        return division.get(locale) if division is not None else ""


@dataclass(frozen=True)
class DocumentReference:
    annexes: AnnexesFile
    cpv: CpvFile


def load_document_reference(wizard_dir: Path) -> DocumentReference:
    """Read and check both files; raises DataFileError naming file, line and field."""
    return DocumentReference(
        annexes=load_model(AnnexesFile, wizard_dir / ANNEXES_FILE),
        cpv=load_model(CpvFile, wizard_dir / CPV_FILE),
    )


@cache
def default_reference() -> DocumentReference:
    """The project's own files, for a document made without loaded content."""
    from app.config import PROJECT_ROOT

    return load_document_reference(PROJECT_ROOT / "wizard_steps")
