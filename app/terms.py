"""Names of the library's fixed terms (requirement kind, type, level) in the user's language."""

from __future__ import annotations

from app.i18n import gettext_


def requirement_term(value: str) -> str:
    names = {
        "function": gettext_("Function"),
        "performance": gettext_("Performance"),
        "interface": gettext_("Interface"),
        "quality": gettext_("Quality"),
        "security": gettext_("Information security"),
        "privacy": gettext_("Personal data"),
        "accessibility": gettext_("Accessibility"),
        "environment": gettext_("Environment"),
        "social": gettext_("Social responsibility"),
        "service_level": gettext_("Service level"),
        "delivery": gettext_("Delivery"),
        "exit": gettext_("Exit and data portability"),
        "kvalificeringskrav": gettext_("Selection criterion"),
        "teknisk_specifikation": gettext_("Technical specification"),
        "tilldelningskriterium": gettext_("Evaluation criterion"),
        "sarskilt_kontraktsvillkor": gettext_("Contract performance clause"),
        "bas": gettext_("Basic"),
        "avancerad": gettext_("Advanced"),
        "spjutspets": gettext_("Cutting edge"),
        "brand": gettext_("Brand without “or equivalent”"),
        "standard-equivalent": gettext_("Standard without “or equivalent”"),
        "vague": gettext_("Vague word"),
        "loophole": gettext_("Loophole"),
        "open-ended": gettext_("Open list"),
        "superlative": gettext_("Superlative"),
        "compound": gettext_("Several requirements in one"),
        "solution": gettext_("Prescribes a solution"),
        "unmeasurable": gettext_("Not measurable"),
        "turnover": gettext_("Turnover requirement"),
    }
    return names.get(value, value)
