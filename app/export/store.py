"""Every export kept: a row queued for a draft and format, then filled with the exact bytes,
their checksum and an audit event, or marked failed with a message in the asker's language. A
repeat export of the same draft content and format is the stored file, not a new rendering."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.document import TenderDraft
from app.export.draft_json import render_draft_json
from app.export.formats import EXPORT_FORMATS, PdfMaker
from app.i18n import gettext_, use_locale
from app.models import AuditEvent, Draft, ExportFile, User, utcnow

if TYPE_CHECKING:
    from app.content import Content

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def source_checksum(document: TenderDraft) -> str:
    """The draft's content as its JSON export says it: same content, same files."""
    return hashlib.sha256(render_draft_json(document)).hexdigest()


def queue_export(
    session: Session,
    draft: Draft,
    user: User | None,
    document: TenderDraft,
    export_format: str,
    language: str,
) -> tuple[ExportFile, bool]:
    """The export to give for this draft content and format, and whether it must be made:
    a stored file, or one already on its way, is given again."""
    source = source_checksum(document)
    existing = session.exec(
        select(ExportFile)
        .where(
            ExportFile.draft_id == draft.id,
            ExportFile.format == export_format,
            ExportFile.source_sha256 == source,
            col(ExportFile.status).in_((QUEUED, RUNNING, DONE)),
        )
        .order_by(col(ExportFile.id).desc())
    ).first()
    if existing is not None:
        return existing, False
    row = ExportFile(
        organisation_id=draft.organisation_id,
        draft_id=draft.id or 0,
        revision=draft.revision,
        version=draft.version,
        format=export_format,
        source_sha256=source,
        language=language,
        created_by=user.id if user else None,
    )
    session.add(row)
    session.flush()
    return row, True


def exports_of(session: Session, draft_id: int) -> list[ExportFile]:
    return list(
        session.exec(
            select(ExportFile)
            .where(ExportFile.draft_id == draft_id)
            .order_by(col(ExportFile.id).desc())
        )
    )


def failure_message(language: str) -> str:
    with use_locale(language):
        return gettext_(
            "The export took longer or needed more memory than the service allows, and was "
            "stopped. Nothing in the draft was changed. Try again later; if it happens again, "
            "the draft may be too large: ask your administrator."
        )


def run_export(
    engine: Engine,
    export_id: int,
    document: TenderDraft,
    content: Content | None,
    environment: Environment,
    pdf: PdfMaker,
) -> None:
    """Make the file of a queued export and store it with its audit event, in a unit of work
    of its own; a rendering stopped at its limit (or failing) marks the export failed."""
    from app.export.pdf import PdfTooSlow

    if not claim(engine, export_id):
        return  # another worker has it, or it is no longer queued
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(ExportFile, export_id)
        if row is None:
            return
        language = row.language
        export_format = EXPORT_FORMATS[row.format]
    try:
        payload = export_format.render(document, content, environment, pdf)
        error = ""
    except PdfTooSlow as stopped:
        logger.warning("export %s stopped: %s", export_id, stopped)
        payload, error = b"", failure_message(language)
    except Exception:
        logger.exception("export %s failed", export_id)
        with use_locale(language):
            payload, error = b"", gettext_("The export failed. Nothing in the draft was changed.")
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(ExportFile, export_id)
        if row is None:
            return
        row.finished_at = utcnow()
        if error:
            row.status, row.error = FAILED, error
        else:
            row.status = DONE
            row.content = payload
            row.sha256 = hashlib.sha256(payload).hexdigest()
            row.size = len(payload)
            session.add(
                AuditEvent(
                    organisation_id=row.organisation_id,
                    draft_id=row.draft_id,
                    user_id=row.created_by,
                    action=f"export.{row.format}",
                    detail={
                        "export": row.id,
                        "sha256": row.sha256,
                        "size": row.size,
                        "revision": row.revision,
                        "version": row.version,
                    },
                )
            )
        session.add(row)
        session.commit()


def claim(engine: Engine, export_id: int) -> bool:
    """Mark a queued export running, in one statement: of two workers only one gets it."""
    from sqlalchemy import update

    with Session(engine) as session:
        result = session.exec(
            update(ExportFile)
            .where(col(ExportFile.id) == export_id, col(ExportFile.status) == QUEUED)
            .values(status=RUNNING)
        )
        session.commit()
        return bool(result.rowcount)


def queued_exports(engine: Engine, limit: int = 10) -> list[int]:
    """The oldest exports waiting, for a worker process to take."""
    with Session(engine) as session:
        return [
            export_id
            for export_id in session.exec(
                select(ExportFile.id)
                .where(ExportFile.status == QUEUED)
                .order_by(col(ExportFile.id))
                .limit(limit)
            )
            if export_id is not None
        ]


def document_of(engine: Engine, export_id: int, content: Content) -> TenderDraft | None:
    """The draft of a queued export as it is now, for a worker that was handed only the id."""
    from app.drafts.build import build_document
    from app.library.organisation import library_for
    from app.models import Organisation

    with Session(engine, expire_on_commit=False) as session:
        row = session.get(ExportFile, export_id)
        if row is None:
            return None
        draft = session.get(Draft, row.draft_id)
        organisation = session.get(Organisation, row.organisation_id)
        if draft is None or organisation is None or draft.deleted_at is not None:
            return None
        library = library_for(session, organisation.id or 0, content)
        document = build_document(session, draft, organisation, library)
        row.source_sha256 = source_checksum(document)
        row.revision, row.version = draft.revision, draft.version
        session.add(row)
        session.commit()
        return document


def work_queue(
    engine: Engine,
    content: Content,
    environment: Environment,
    pdf: PdfMaker,
    *,
    once: bool = False,
    pause: float = 1.0,
) -> int:
    """Take queued exports, oldest first, and make them; with `once`, until none is left.
    Returns how many were taken."""
    import time

    taken = 0
    while True:
        waiting = queued_exports(engine)
        for export_id in waiting:
            document = document_of(engine, export_id, content)
            if document is None:
                _fail_missing(engine, export_id)
                continue
            run_export(engine, export_id, document, content, environment, pdf)
            taken += 1
        if not waiting:
            if once:
                return taken
            time.sleep(pause)


def _fail_missing(engine: Engine, export_id: int) -> None:
    with Session(engine) as session:
        row = session.get(ExportFile, export_id)
        if row is not None and row.status == QUEUED:
            with use_locale(row.language):
                row.status, row.error = FAILED, gettext_("The draft is no longer there.")
            row.finished_at = utcnow()
            session.add(row)
            session.commit()
