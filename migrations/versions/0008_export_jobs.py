"""export jobs: each kept export is a job (queued, running, done, failed), and on PostgreSQL
procrastinate's queue lives in the same database

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("export_file") as batch:
        batch.add_column(
            sa.Column(
                "job_status",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="done",
            )
        )
        batch.add_column(sa.Column("error", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=5),
                nullable=False,
                server_default="sv",
            )
        )
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("content", existing_type=sa.LargeBinary(), nullable=True)
        batch.create_index(batch.f("ix_export_file_job_status"), ["job_status"], unique=False)
    # The defaults were for the rows already there (all made at once); the model sets them.
    with op.batch_alter_table("export_file") as batch:
        batch.alter_column("job_status", server_default=None)
        batch.alter_column("error", server_default=None)
        batch.alter_column("language", server_default=None)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        # procrastinate's own tables, functions and triggers (its `schema --apply`), in this
        # migration's transaction; given to the driver without parameters, so its RAISE
        # messages' % stay as they are.
        cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, "
                   "procrastinate_jobs, procrastinate_workers CASCADE")
        op.execute("DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, "
                   "procrastinate_job_event_type, procrastinate_job_status CASCADE")
    with op.batch_alter_table("export_file") as batch:
        batch.drop_index(batch.f("ix_export_file_job_status"))
        batch.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("finished_at")
        batch.drop_column("started_at")
        batch.drop_column("language")
        batch.drop_column("error")
        batch.drop_column("job_status")
