"""index meetings created_at

Revision ID: 17f05d8e3b92
Revises: c3a9e1b27d44
Create Date: 2026-11-25 22:25:45.773224

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '17f05d8e3b92'
down_revision = 'c3a9e1b27d44'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # CREATE INDEX CONCURRENTLY does not block writes to meetings, but PostgreSQL refuses to
    # run it inside a transaction: run it in an autocommit block.
    with op.get_context().autocommit_block():
        op.create_index(
            op.f('ix_meetings_created_at'),
            'meetings',
            ['created_at'],
            unique=False,
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(
            op.f('ix_meetings_created_at'), table_name='meetings', postgresql_concurrently=True
        )
