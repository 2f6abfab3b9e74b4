"""The helper's disputed hours and note on a help record

Revision ID: a7c3e1d2b9f4
Revises: 8c1e2f4a9b70
Create Date: 2026-11-27 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e1d2b9f4'
down_revision = '8c1e2f4a9b70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_disputed', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('dispute_note', sa.String(length=300), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('help_record', schema=None) as batch_op:
        batch_op.drop_column('dispute_note')
        batch_op.drop_column('minutes_disputed')
