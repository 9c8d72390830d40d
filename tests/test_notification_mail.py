"""Email is off by default; with SMTP set up, each person told of a change in the inbox also
gets a mail in their own language, sent after the change is saved."""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.content import Content
from app.main import create_app
from app.models import Role, User
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to take mail in: what a mail relay would receive."""

    def handle(self) -> None:
        received: list[Message] = self.server.received  # type: ignore[attr-defined]
        self.wfile.write(b"220 test ready\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                received.append(message_from_bytes(b"".join(lines)))
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture()
def smtp() -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_people_told_in_the_inbox_get_a_mail_in_their_language(
    smtp: Any, engine: Engine, content: Content, session: Session, tmp_path: Any
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test",
        KRAVLOTSEN_VAR_DIR=tmp_path,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.server_address[1],
        SMTP_STARTTLS=False,
        MAIL_FROM="kravlotsen@demo.se",
        PUBLIC_URL="https://kravlotsen.demo.se",
    )
    app = create_app(settings, engine=engine, content=content)
    organisation = make_organisation(session, "Demo kommun")
    make_user(session, "ulla@demo.se", organisation, Role.editor, "Ulla")
    reviewer = make_user(session, "jurist@demo.se", organisation, Role.reviewer, "Jens")
    reviewer.locale = "en"
    session.add(reviewer)
    session.commit()
    officer = session.exec(select(User).where(User.email == "ulla@demo.se")).one()
    draft = make_draft(session, organisation, officer, "Bygglov", content, filled=True)

    with TestClient(app, base_url="http://testserver") as client:
        login(client, "ulla@demo.se")
        page = client.get(f"/drafts/{draft.id}")
        client.post(
            f"/drafts/{draft.id}/status",
            data={"csrf_token": csrf_from(page.text), "action": "submit"},
        )
    deadline = time.monotonic() + 10
    while not smtp.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp.received) == 1
    mail = smtp.received[0]
    assert mail["To"] == "jurist@demo.se" and mail["From"] == "kravlotsen@demo.se"
    body = mail.get_payload(decode=True).decode()
    assert "Ulla asks you to review “Bygglov” (revision 1)." in body
    assert f"https://kravlotsen.demo.se/drafts/{draft.id}" in body


def test_without_smtp_no_mail_is_tried(
    client: TestClient, session: Session, content: Content
) -> None:
    assert not client.app.state.mailer.enabled  # type: ignore[attr-defined]
