"""Kravlotsen: a needs-first wizard for function-based requirements in public procurement."""

__version__ = "0.1.0"
