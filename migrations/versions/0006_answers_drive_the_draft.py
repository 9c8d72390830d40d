"""answers drive the draft: kinds of needs and goals, confirmed links, requirements to
re-examine

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kinds", sa.JSON(), nullable=True))
    with op.batch_alter_table("effect_goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kinds", sa.JSON(), nullable=True))
    with op.batch_alter_table("draft_requirement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Links made before this revision were the officer's or the draft's as it stood: confirmed.
    with op.batch_alter_table("requirement_trace", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    # ... except those of suggestions, which were the engine's.
    op.execute(
        "UPDATE requirement_trace SET confirmed = false WHERE requirement_id IN "
        "(SELECT id FROM draft_requirement WHERE status = 'suggested')"
    )


def downgrade() -> None:
    with op.batch_alter_table("requirement_trace", schema=None) as batch_op:
        batch_op.drop_column("confirmed")
    with op.batch_alter_table("draft_requirement", schema=None) as batch_op:
        batch_op.drop_column("needs_review")
    with op.batch_alter_table("effect_goal", schema=None) as batch_op:
        batch_op.drop_column("kinds")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_column("kinds")
