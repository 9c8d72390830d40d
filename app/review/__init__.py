"""Reviewing a draft: comments pinned to what they are about, statuses and verdicts,
revisions and what changed between them, the inbox, and the audit log."""
