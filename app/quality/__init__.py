"""The requirement checker: wording that makes a requirement unfair, unclear or unverifiable."""

from app.quality.checker import check_text
from app.quality.findings import RULES, Finding
from app.quality.text import detect_language
from app.quality.turnover import check_turnover

__all__ = ["RULES", "Finding", "check_text", "check_turnover", "detect_language"]
