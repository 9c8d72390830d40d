"""The command line run in-process, as other tools call it (exit code, stdout, stderr)."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from app.cli import cli


@dataclass
class CliRun:
    returncode: int
    stdout: bytes
    stderr: bytes


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliRun:
    """`python -m app ARGS` without a new interpreter: the test settings unless `env` says
    otherwise."""
    result = CliRunner().invoke(
        cli, list(args), env={"KRAVLOTSEN_ENV": "test", **(env or {})}, catch_exceptions=False
    )
    return CliRun(result.exit_code, result.stdout_bytes, result.stderr_bytes)
