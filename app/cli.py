"""The command line: serve, migrate, create-org, create-user, create-token, seed-demo, render."""

from __future__ import annotations

import getpass
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlmodel import Session, select

from app.config import Settings, SettingsError, get_settings
from app.data.files import DataFileError

if TYPE_CHECKING:
    from app.content import Content

cli = typer.Typer(
    help="Kravlotsen: needs-first tender documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        settings = get_settings()
        settings.resolved_secret_key()
        return settings
    except SettingsError as error:
        raise _fail(f"Configuration error: {error}") from error


def _engine(settings: Settings):
    from app.db import make_engine

    return make_engine(settings.database_url)


@cache
def _loaded_content(wizard_steps_dir: Path, library_dir: Path) -> Content:
    from app.content import load_content

    return load_content(wizard_steps_dir, library_dir)


def _content(settings: Settings) -> Content:
    """The data files, read once per process (commands run in-process reuse them)."""
    try:
        return _loaded_content(settings.wizard_steps_dir, settings.library_dir)
    except DataFileError as error:
        raise _fail(f"Data file error: {error}") from error


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes (one per core; on PostgreSQL, or SQLite on one machine).",
        ),
    ] = 1,
) -> None:
    """Serve the web application. Migrations are their own step (`migrate`)."""
    import uvicorn

    from app.main import create_app

    settings = _settings()
    try:
        app = create_app(settings)
    except DataFileError as error:
        raise _fail(f"Data file error: {error}") from error
    typer.echo(f"Kravlotsen is running on http://{host}:{port}")
    proxies = settings.forwarded_allow_ips
    if workers > 1 and not reload:
        from app.server import reuse_port_supported, run_workers

        if reuse_port_supported():
            # A socket of its own per process, so that connections spread over every core.
            del app
            status = run_workers(
                "app.asgi:app",
                host=host,
                port=port,
                workers=workers,
                proxy_headers=True,
                forwarded_allow_ips=proxies,
            )
            raise typer.Exit(status)
    if reload or workers > 1:
        # Each process imports the app itself: uvicorn is given where, not the object.
        del app
        uvicorn.run(
            "app.asgi:app",
            host=host,
            port=port,
            reload=reload,
            workers=None if reload else workers,
            proxy_headers=True,
            forwarded_allow_ips=proxies,
        )
    else:
        uvicorn.run(app, host=host, port=port, proxy_headers=True, forwarded_allow_ips=proxies)


@cli.command()
def migrate() -> None:
    """Upgrade the database to the newest schema."""
    from app.db import run_migrations

    settings = _settings()
    run_migrations(settings.database_url)
    typer.echo("Database is up to date.")


@cli.command()
def worker(
    once: Annotated[bool, typer.Option(help="Make the exports waiting now, then stop.")] = False,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Jobs at once (default EXPORT_WORKERS).")
    ] = None,
) -> None:
    """Run export jobs from procrastinate's queue in PostgreSQL (the web processes only queue
    them). Run as many as needed, on any machine that reaches the database: each job is taken
    by one. Each job has EXPORT_TIME_LIMIT and EXPORT_MEMORY_MB; one past either is stopped,
    marked failed, and the worker takes the next."""
    import asyncio

    from app.export.jobs import QUEUE_NAME, make_runner, procrastinate_app_for, set_runner
    from app.templating import make_environment

    settings = _settings()
    if settings.is_sqlite:
        raise _fail("The worker needs PostgreSQL; on SQLite the web process makes exports.")
    engine = _engine(settings)
    set_runner(
        make_runner(settings, engine, _content(settings), make_environment(settings.templates_dir))
    )
    jobs = concurrency or settings.export_workers
    if once:
        from app.export.jobs import run_worker_until_idle

        asyncio.run(run_worker_until_idle(settings.database_url, concurrency=jobs))
        typer.echo("No export is waiting.")
        return
    typer.echo(f"Kravlotsen worker: {jobs} export jobs at once from the {QUEUE_NAME!r} queue.")
    procrastinate_app_for(settings.database_url).run_worker(
        queues=[QUEUE_NAME], concurrency=jobs, name="kravlotsen-worker"
    )


@cli.command("create-org")
def create_org(name: Annotated[str, typer.Argument(help="The organisation's name.")]) -> None:
    """Create an organisation and print its id."""
    from app.models import Organisation

    settings = _settings()
    with Session(_engine(settings)) as session:
        organisation = Organisation(name=name.strip())
        session.add(organisation)
        session.commit()
        typer.echo(f"Created organisation {organisation.id}: {organisation.name}")


@cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="The user's email address (their login).")],
    organisation: Annotated[
        str | None, typer.Option("--org", help="Organisation id or name to join.")
    ] = None,
    role: Annotated[str, typer.Option(help="owner, editor, reviewer or viewer.")] = "editor",
    name: Annotated[str, typer.Option(help="The user's name.")] = "",
    password: Annotated[
        str | None,
        typer.Option(help="Password; asked for when not given (or KRAVLOTSEN_PASSWORD)."),
    ] = None,
) -> None:
    """Create a user (or add an existing one to an organisation)."""
    from app.accounts import hash_password
    from app.models import Membership, Organisation, Role, User

    settings = _settings()
    try:
        role_value = Role(role)
    except ValueError as error:
        raise _fail("Role must be one of: owner, editor, reviewer, viewer.", 2) from error
    with Session(_engine(settings)) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None:
            secret = password or os.environ.get("KRAVLOTSEN_PASSWORD")
            if not secret:
                if not sys.stdin.isatty():
                    raise _fail("Give --password or KRAVLOTSEN_PASSWORD.", 2)
                secret = getpass.getpass("Password: ")
            if len(secret) < 12:
                raise _fail("The password must be at least 12 characters.", 2)
            user = User(email=email.strip().lower(), name=name, password_hash=hash_password(secret))
            session.add(user)
            session.flush()
            typer.echo(f"Created user {user.id}: {user.email}")
        if organisation:
            query = select(Organisation)
            found = (
                session.get(Organisation, int(organisation))
                if organisation.isdigit()
                else session.exec(query.where(Organisation.name == organisation)).first()
            )
            if found is None:
                raise _fail(f"No organisation '{organisation}'.", 2)
            membership = session.exec(
                select(Membership).where(
                    Membership.user_id == user.id, Membership.organisation_id == found.id
                )
            ).first()
            if membership is None:
                session.add(
                    Membership(user_id=user.id or 0, organisation_id=found.id or 0, role=role_value)
                )
            else:
                membership.role = role_value
                session.add(membership)
            typer.echo(f"{user.email} is {role_value.value} in {found.name}")
        session.commit()


@cli.command("create-token")
def create_token(
    email: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="A name to recognise the token by.")] = "",
    days: Annotated[int, typer.Option(min=1, max=730, help="Days until it expires.")] = 90,
) -> None:
    """Create a personal API token. The token is printed alone on the last line, once."""
    from app.accounts import create_api_token
    from app.models import User

    settings = _settings()
    with Session(_engine(settings)) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None:
            raise _fail(f"No user '{email}'.", 2)
        token = create_api_token(session, user, name, days)
        session.commit()
    typer.echo("Use it as 'Authorization: Bearer <token>'. Only its hash is stored:")
    typer.echo(token)


@cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo organisations, users and an example draft (development only)."""
    settings = _settings()
    if settings.kravlotsen_env == "production":
        raise _fail("seed-demo is for development only; it is refused in production.", 2)
    from app.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo_data

    content = _content(settings)
    with Session(_engine(settings)) as session:
        created = seed_demo_data(session, content)
    if created:
        typer.echo("Demo data loaded.")
    else:
        typer.echo("Demo data is already there.")
    typer.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
    for email, _name, organisation, role in DEMO_USERS:
        typer.echo(f"  {email:<22} {role:<9} {organisation}")


@cli.command()
def render(
    answers_file: Annotated[Path, typer.Argument(help="An answers file (YAML), as in examples/.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="pdf (the tender document), rfi (the need statement for market dialogue, "
            "PDF), docx (the tender document for Word), xlsx (the answer matrix for "
            "suppliers), ocds (an OCDS release package), json or html.",
        ),
    ] = "pdf",
    strict: Annotated[
        bool, typer.Option(help="Exit non-zero when an export blocker is found.")
    ] = False,
) -> None:
    """Build a draft from an answers file, suggest requirements and write the tender document.

    Without a `requirements` section in the file every suggestion is taken as accepted;
    with one, its decisions rule."""
    from app.data.files import load_model
    from app.drafts.answers_file import AnswersFile, AnswersFileError, document_from_answers_file
    from app.i18n import use_locale
    from app.quality.report import quality_report
    from app.render import RENDER_FORMATS, beside, render_payload
    from app.wizard.gates import check_gates

    if output_format not in RENDER_FORMATS:
        raise _fail("--format must be pdf, rfi, docx, xlsx, ocds, json or html.", 2)
    settings = Settings(KRAVLOTSEN_ENV=os.environ.get("KRAVLOTSEN_ENV", "development"))
    content = _content(settings)
    if not answers_file.exists():
        raise _fail(f"No such file: {answers_file}", 2)
    try:
        parsed = load_model(AnswersFile, answers_file)
        document = document_from_answers_file(parsed, content)
    except DataFileError as error:
        raise _fail(f"Answers file error: {error}", 2) from error
    except AnswersFileError as error:
        raise _fail("Answers file error: " + "; ".join(error.messages), 2) from error
    if parsed.requirements is None and document.requirements:
        typer.echo(
            f"note: the answers file records no decisions on requirements: the "
            f"{len(document.requirements)} suggestions are taken as accepted.",
            err=True,
        )

    def gate() -> list[tuple[str, str]]:
        if output_format == "rfi":
            return []  # the need statement is made before the procurement: no export gate
        with use_locale(document.language):
            found = check_gates(document, content, quality_report(document))
        return [(finding.severity, finding.message) for finding in found]

    payload, findings = beside(
        lambda: render_payload(document, content, settings.templates_dir, output_format), gate
    )
    for severity, message in findings:
        label = "BLOCKER" if severity == "blocker" else "warning"
        typer.echo(f"{label}: {message}", err=True)
    if out is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(payload)
        typer.echo(f"Wrote {out} ({len(payload)} bytes)", err=True)
    if strict and any(severity == "blocker" for severity, _message in findings):
        raise typer.Exit(1)


library_cli = typer.Typer(
    help="The requirement library: check, figures, listing.", no_args_is_help=True
)
cli.add_typer(library_cli, name="library")


@library_cli.command("check")
def library_check() -> None:
    """Validate the library and the wizard it refers to; exit non-zero naming file and line."""
    content = _content(_settings())
    typer.echo(
        f"Library is valid: {len(content.library.templates)} templates in "
        f"{len(content.library.areas)} areas and sets."
    )


@library_cli.command("stats")
def library_stats(
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Count templates per area, per language and with motive, verification, triggers."""
    import json

    from app.library.stats import library_statistics

    stats = library_statistics(_content(_settings()).library)
    if output_format == "json":
        typer.echo(json.dumps(stats, ensure_ascii=False))
    elif output_format == "text":
        for key, value in stats.items():
            if key == "themes":
                typer.echo("themes covered per area:")
                for area, figures in value.items():
                    typer.echo(f"  {area}: {figures['covered']}/{figures['themes']}")
                continue
            typer.echo(f"{key}: {value}")
    else:
        raise _fail("--format must be text or json.", 2)


@library_cli.command("coverage")
def library_coverage(
    answers_files: Annotated[list[Path], typer.Argument(help="Answers files, as in examples/.")],
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """For each answers file: how many requirements are suggested, the share from the
    cross-cutting sets, and which of its area's themes the suggestions cover."""
    import json

    from app.data.files import load_model
    from app.drafts.answers_file import AnswersFile
    from app.library.stats import coverage_text, suggestion_coverage

    if output_format not in ("text", "json"):
        raise _fail("--format must be text or json.", 2)
    content = _content(_settings())
    for path in answers_files:
        try:
            parsed = load_model(AnswersFile, path)
        except DataFileError as error:
            raise _fail(f"Answers file error: {error}", 2) from error
        figures = {"file": str(path), **suggestion_coverage(content, parsed)}
        if output_format == "json":
            typer.echo(json.dumps(figures, ensure_ascii=False))
        else:
            typer.echo(coverage_text(path.name, figures))


@library_cli.command("list")
def library_list(
    output_format: Annotated[str, typer.Option("--format", help="jsonl.")] = "jsonl",
) -> None:
    """Every template, one JSON object a line, text with the defaults filled in."""
    import json

    from app.library.stats import template_record

    if output_format != "jsonl":
        raise _fail("--format must be jsonl.", 2)
    library = _content(_settings()).library
    for template in library.templates:
        typer.echo(json.dumps(template_record(library, template), ensure_ascii=False))


wizard_cli = typer.Typer(help="The questionnaire: statistics.", no_args_is_help=True)
cli.add_typer(wizard_cli, name="wizard")


@wizard_cli.command("stats")
def wizard_stats(
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Count steps and questions (questions inside repeatable groups included)."""
    import json

    from app.wizard.stats import wizard_statistics

    content = _content(_settings())
    stats = wizard_statistics(content.wizard, content.library)
    if output_format == "json":
        typer.echo(json.dumps(stats))
    elif output_format == "text":
        for key, value in stats.items():
            typer.echo(f"{key}: {value}")
    else:
        raise _fail("--format must be text or json.", 2)


@cli.command("answers-schema")
def answers_schema() -> None:
    """Print the JSON Schema of an answers file (the format of examples/ and `render`)."""
    import json

    from app.drafts.answers_file import AnswersFile

    typer.echo(json.dumps(AnswersFile.model_json_schema(), indent=2, ensure_ascii=False))


@cli.command()
def lint(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-", help="A file with one requirement a line, or - for standard input."
        ),
    ],
    lang: Annotated[
        str, typer.Option("--lang", help="sv, en or auto (each line's language detected).")
    ] = "auto",
    output_format: Annotated[
        str, typer.Option("--format", help="text, or json (one object a line).")
    ] = "text",
    ui_lang: Annotated[
        str, typer.Option("--ui-lang", help="Language of the messages: sv or en.")
    ] = "sv",
) -> None:
    """Check requirements, one a line: brands, standards, vague words, loopholes and more.

    Exits 0 whatever is found; 2 on bad usage (unknown option value, missing file).
    """
    import json

    from app.i18n import LOCALES, use_locale
    from app.quality import check_text, detect_language

    if lang not in ("sv", "en", "auto"):
        raise _fail("--lang must be sv, en or auto.", 2)
    if output_format not in ("text", "json"):
        raise _fail("--format must be text or json.", 2)
    if ui_lang not in LOCALES:
        raise _fail(f"--ui-lang must be one of: {', '.join(LOCALES)}.", 2)
    if source == "-":
        content = sys.stdin.buffer.read().decode("utf-8-sig", errors="replace")
    else:
        path = Path(source)
        if not path.is_file():
            raise _fail(f"No such file: {source}", 2)
        content = path.read_bytes().decode("utf-8-sig", errors="replace")
    with use_locale(ui_lang):
        for line in content.splitlines():
            line_lang = detect_language(line) if lang == "auto" else lang
            findings = check_text(line, line_lang) if line.strip() else []
            if output_format == "json":
                record = {
                    "text": line,
                    "lang": line_lang,
                    "findings": [
                        {
                            "rule": finding.rule,
                            "start": finding.start,
                            "end": finding.end,
                            "message": finding.message,
                            "suggestion": finding.suggestion,
                            "severity": finding.severity,
                            "reference": finding.reference,
                            "also": list(finding.also),
                        }
                        for finding in findings
                    ],
                }
                typer.echo(json.dumps(record, ensure_ascii=False))
                continue
            typer.echo(line)
            for finding in findings:
                reference = f" [{finding.reference}]" if finding.reference else ""
                typer.echo(
                    f"  {finding.severity} {finding.rule} {finding.start}-{finding.end}: "
                    f"{finding.message}{reference}"
                )
                typer.echo(f"      {finding.suggestion}")


def main() -> None:
    cli()


# The commands that look after accounts and the database live beside this module.
from app.admin import register  # noqa: E402

register(cli)


if __name__ == "__main__":
    main()
