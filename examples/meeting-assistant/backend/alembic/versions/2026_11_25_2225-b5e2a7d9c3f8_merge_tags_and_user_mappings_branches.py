"""merge tags and user mappings branches

Revision ID: b5e2a7d9c3f8
Revises: 9f3b6a2d4e15, d7c1f8e4a2b6
Create Date: 2026-11-25 22:25:52.115245

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e2a7d9c3f8'
down_revision = ('9f3b6a2d4e15', 'd7c1f8e4a2b6')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
