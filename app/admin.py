"""Commands that look after accounts and the database: tokens, passwords, disabling an account,
the bin, and a backup and its restore. Registered on the command line by app.cli."""

from __future__ import annotations

import getpass
import os
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from app.config import Settings, SettingsError, get_settings
from app.models import ApiToken, Draft, User

BIN_DAYS = 30


def _settings() -> Settings:
    try:
        settings = get_settings()
        settings.resolved_secret_key()
        return settings
    except SettingsError as error:
        typer.echo(f"Configuration error: {error}", err=True)
        raise typer.Exit(1) from error


def _session(settings: Settings) -> Session:
    from app.db import make_engine

    return Session(make_engine(settings.database_url), expire_on_commit=False)


def _user(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        typer.echo(f"No user '{email}'.", err=True)
        raise typer.Exit(2)
    return user


def list_tokens(email: Annotated[str, typer.Argument(help="Whose tokens.")]) -> None:
    """List a user's API tokens: id, name, when made, last used and when it expires."""
    with _session(_settings()) as session:
        user = _user(session, email)
        tokens = session.exec(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))
        ).all()
        for token in tokens:
            used = token.last_used_at.isoformat() if token.last_used_at else "never"
            typer.echo(
                f"{token.id}\t{token.name or '-'}\tmade {token.created_at.isoformat()}\t"
                f"used {used}\texpires {token.expires_at.isoformat()}"
            )


def revoke_token_command(
    email: Annotated[str, typer.Argument(help="Whose token.")],
    token_id: Annotated[int, typer.Argument(help="The token's id, as list-tokens shows it.")],
) -> None:
    """Revoke one of a user's API tokens: it stops working at once."""
    from app.accounts import revoke_token

    with _session(_settings()) as session:
        if not revoke_token(session, _user(session, email), token_id):
            typer.echo(f"'{email}' has no token {token_id}.", err=True)
            raise typer.Exit(2)
        session.commit()
    typer.echo(f"Token {token_id} is revoked.")


def set_password_command(
    email: Annotated[str, typer.Argument(help="Whose password.")],
    password: Annotated[
        str | None, typer.Option(help="The new password; asked for when not given.")
    ] = None,
) -> None:
    """Set a user's password; every login of theirs ends."""
    from app.accounts import MIN_PASSWORD, set_password

    secret = password or os.environ.get("KRAVLOTSEN_PASSWORD")
    if not secret:
        if not sys.stdin.isatty():
            typer.echo("Give --password or KRAVLOTSEN_PASSWORD.", err=True)
            raise typer.Exit(2)
        secret = getpass.getpass("New password: ")
    if len(secret) < MIN_PASSWORD:
        typer.echo(f"The password must be at least {MIN_PASSWORD} characters.", err=True)
        raise typer.Exit(2)
    with _session(_settings()) as session:
        set_password(session, _user(session, email), secret)
        session.commit()
    typer.echo(f"The password of {email} is set; their logins have ended.")


def disable_user_command(email: Annotated[str, typer.Argument(help="Whose account.")]) -> None:
    """Disable an account: its logins end and its API tokens are revoked."""
    from app.accounts import disable_user

    with _session(_settings()) as session:
        disable_user(session, _user(session, email))
        session.commit()
    typer.echo(f"{email} is disabled.")


def purge_bin(session: Session, now: datetime | None = None) -> int:
    """Remove for good the drafts that have been in the bin longer than 30 days."""
    limit = (now or datetime.now(UTC)) - timedelta(days=BIN_DAYS)
    old = session.exec(
        select(Draft).where(col(Draft.deleted_at).is_not(None), col(Draft.deleted_at) < limit)
    ).all()
    for draft in old:
        session.delete(draft)
    session.flush()
    return len(old)


def purge_bin_command() -> None:
    """Remove for good the drafts that have been in the bin longer than 30 days."""
    with _session(_settings()) as session:
        removed = purge_bin(session)
        session.commit()
    typer.echo(f"{removed} drafts removed from the bin for good.")


def _sqlite_path(database_url: str) -> Path | None:
    if database_url.startswith("sqlite:///"):
        path = database_url.split("sqlite:///", 1)[1]
        return Path(path) if path and path != ":memory:" else None
    return None


def backup(out: Annotated[Path, typer.Argument(help="The file to write the backup to.")]) -> None:
    """Back the database up while Kravlotsen runs. SQLite: an online backup into OUT.
    PostgreSQL: prints the pg_dump command that makes one."""
    settings = _settings()
    path = _sqlite_path(settings.database_url)
    if path is None:
        if settings.is_sqlite:
            typer.echo("An in-memory database cannot be backed up.", err=True)
            raise typer.Exit(2)
        from sqlalchemy.engine import make_url

        url = make_url(settings.database_url.replace("+psycopg", ""))
        typer.echo("PostgreSQL is backed up with pg_dump, for example:")
        typer.echo(
            f"pg_dump --format=custom --file={out} "
            f"'{url.set(drivername='postgresql').render_as_string(hide_password=True)}'"
        )
        typer.echo(f"and restored with: pg_restore --clean --dbname=<database> {out}")
        return
    if not path.exists():
        typer.echo(f"No database at {path}.", err=True)
        raise typer.Exit(2)
    source = sqlite3.connect(path)
    target = sqlite3.connect(out)
    with target:
        source.backup(target)
    source.close()
    target.close()
    typer.echo(f"Backed up {path} to {out}.")


def restore(
    backup_file: Annotated[Path, typer.Argument(help="A backup made by `backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the database without asking.")
    ] = False,
) -> None:
    """Restore a SQLite backup over the database (stop Kravlotsen first)."""
    settings = _settings()
    path = _sqlite_path(settings.database_url)
    if path is None:
        typer.echo("Only a SQLite database is restored here; PostgreSQL: use pg_restore.", err=True)
        raise typer.Exit(2)
    if not backup_file.is_file():
        typer.echo(f"No such file: {backup_file}", err=True)
        raise typer.Exit(2)
    check = sqlite3.connect(backup_file)
    try:
        if check.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            typer.echo(f"{backup_file} is not a sound SQLite database.", err=True)
            raise typer.Exit(2)
    except sqlite3.DatabaseError as error:
        typer.echo(f"{backup_file} is not a SQLite database ({error}).", err=True)
        raise typer.Exit(2) from error
    finally:
        check.close()
    if not yes and not typer.confirm(f"Replace {path} with {backup_file}?"):
        raise typer.Exit(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(backup_file)
    target = sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    typer.echo(f"Restored {backup_file} to {path}.")


def register(cli: typer.Typer) -> None:
    cli.command("list-tokens")(list_tokens)
    cli.command("revoke-token")(revoke_token_command)
    cli.command("set-password")(set_password_command)
    cli.command("disable-user")(disable_user_command)
    cli.command("purge-bin")(purge_bin_command)
    cli.command("backup")(backup)
    cli.command("restore")(restore)
