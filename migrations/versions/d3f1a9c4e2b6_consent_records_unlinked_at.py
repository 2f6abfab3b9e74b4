"""Consent records remember when their account was erased

Revision ID: d3f1a9c4e2b6
Revises: a7c3e1d2b9f4
Create Date: 2026-11-27 17:45:00

"""
from alembic import op
import sqlalchemy as sa

import exchange.timeutil


# revision identifiers, used by Alembic.
revision = 'd3f1a9c4e2b6'
down_revision = 'a7c3e1d2b9f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('parental_consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unlinked_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('parental_consent', schema=None) as batch_op:
        batch_op.drop_column('unlinked_at')
