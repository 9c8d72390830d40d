"""Not lost by one click: a deleted draft waits in the bin, an owner restores it, and the
database can be backed up while Kravlotsen runs and restored."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.admin import purge_bin
from app.content import Content
from app.models import Draft, Role
from tests.cli import run_cli
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user


def test_a_deleted_draft_leaves_every_page_and_an_owner_restores_it(
    client: TestClient, session: Session, content: Content
) -> None:
    organisation = make_organisation(session, "Demo kommun")
    owner = make_user(session, "agare@demo.se", organisation)
    make_user(session, "redaktor@demo.se", organisation, Role.editor)
    draft = make_draft(session, organisation, owner, "Skolmåltider", content, filled=True)

    login(client, "redaktor@demo.se")
    confirm = client.get(f"/drafts/{draft.id}/delete")
    assert "papperskorgen" in confirm.text
    deleted = client.post(
        f"/drafts/{draft.id}/delete", data={"csrf_token": csrf_from(confirm.text)}
    )
    assert "Skolmåltider" not in BeautifulSoup(deleted.text, "html.parser").find("main").get_text()
    assert client.get(f"/drafts/{draft.id}").status_code == 404
    assert client.get("/bin").status_code == 200
    assert "Skolmåltider" not in client.get("/bin").text  # an editor sees no bin

    client.cookies.clear()
    login(client, "agare@demo.se")
    bin_page = client.get("/bin")
    assert "Skolmåltider" in bin_page.text
    restored = client.post(
        f"/bin/{draft.id}/restore", data={"csrf_token": csrf_from(bin_page.text)}
    )
    assert restored.status_code == 200
    assert client.get(f"/drafts/{draft.id}").status_code == 200
    assert "Skolmåltider" in client.get("/").text


def test_the_bin_is_emptied_after_thirty_days(session: Session) -> None:
    organisation = make_organisation(session)
    draft = make_draft(session, organisation, None, "Gammalt utkast")
    draft.deleted_at = datetime.now(UTC) - timedelta(days=31)
    recent = make_draft(session, organisation, None, "Nyss raderat")
    recent.deleted_at = datetime.now(UTC) - timedelta(days=2)
    session.add_all([draft, recent])
    session.commit()
    assert purge_bin(session) == 1
    session.commit()
    assert [item.title for item in session.exec(select(Draft)).all()] == ["Nyss raderat"]


def test_a_backup_made_while_running_restores_the_drafts(tmp_path: Path) -> None:
    database = tmp_path / "kravlotsen.db"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "KRAVLOTSEN_ENV": "development",
        "KRAVLOTSEN_VAR_DIR": str(tmp_path),
    }
    assert run_cli("migrate", env=env).returncode == 0
    assert run_cli("seed-demo", env=env).returncode == 0
    backup = tmp_path / "backup.db"
    made = run_cli("backup", str(backup), env=env)
    assert made.returncode == 0, made.stderr.decode()
    with sqlite3.connect(database) as live:
        live.execute("DELETE FROM draft")
    assert run_cli("restore", str(backup), "--yes", env=env).returncode == 0
    with sqlite3.connect(database) as restored:
        titles = [row[0] for row in restored.execute("SELECT title FROM draft")]
    assert titles == ["E-tjänst för ansökan om bygglov och anmälan"]
    assert run_cli("restore", str(tmp_path / "saknas.db"), "--yes", env=env).returncode == 2


def test_postgresql_backup_names_the_pg_dump_command(tmp_path: Path) -> None:
    result = run_cli(
        "backup",
        str(tmp_path / "kravlotsen.dump"),
        env={"DATABASE_URL": "postgresql+psycopg://kravlotsen:hemligt@db.example:5432/kl"},
    )
    out = result.stdout.decode()
    assert result.returncode == 0 and "pg_dump" in out and "pg_restore" in out
    assert "hemligt" not in out
