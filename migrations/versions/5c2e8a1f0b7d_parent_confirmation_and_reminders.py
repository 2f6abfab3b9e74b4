"""A parent's confirmation of young people's registrations, and sent reminders

Revision ID: 5c2e8a1f0b7d
Revises: 375e3859403f
Create Date: 2026-11-27 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import exchange.timeutil


# revision identifiers, used by Alembic.
revision = '5c2e8a1f0b7d'
down_revision = '375e3859403f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_reminder_sent_posting_id_posting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
    sa.UniqueConstraint('key', name=op.f('uq_reminder_sent_key'))
    )
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_sent_posting_id'), ['posting_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('parent_confirmed_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('parent_confirmed_at')
        batch_op.drop_column('parent_email')

    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_sent_posting_id'))

    op.drop_table('reminder_sent')
