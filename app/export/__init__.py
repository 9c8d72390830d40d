"""Exports of a tender draft: each a pure function from the draft to bytes."""
