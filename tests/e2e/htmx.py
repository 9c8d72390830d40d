"""Waiting for htmx in browser tests."""

from __future__ import annotations

from typing import Any


def settled(page: Any) -> None:
    """Wait until htmx has wired what it swapped in: a row it has just added takes no input
    until it has settled, which no person could beat but a test can."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping')"
    )
