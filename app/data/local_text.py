"""Text in both of Kravlotsen's languages, as used in the data files."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.data import limits

Locale = Literal["sv", "en"]
LOCALES: tuple[Locale, ...] = ("sv", "en")


class LocalText(BaseModel):
    """A text in Swedish and English; both are required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sv: str = Field(min_length=1, max_length=limits.TEXT)
    en: str = Field(min_length=1, max_length=limits.TEXT)

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.sv

    def get_for_locale(self) -> str:
        """The text in the current interface locale."""
        from app.i18n import get_locale

        return self.get(get_locale())
