"""Accessibility statement per Kommune and the barrier reports sent through it

Revision ID: 4f32a9271853
Revises: 71d1d2c2c814
Create Date: 2026-11-27 13:52:03.893116

"""
from alembic import op
import sqlalchemy as sa

import exchange.timeutil


# revision identifiers, used by Alembic.
revision = '4f32a9271853'
down_revision = '71d1d2c2c814'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accessibility_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('page', sa.String(length=500), server_default='', nullable=False),
    sa.Column('name', sa.String(length=120), server_default='', nullable=False),
    sa.Column('email', sa.String(length=254), server_default='', nullable=False),
    sa.Column('locale', sa.String(length=5), server_default='de', nullable=False),
    sa.Column('created_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer_note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_accessibility_feedback_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_feedback'))
    )
    with op.batch_alter_table('accessibility_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accessibility_feedback_answered_at'), ['answered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_accessibility_feedback_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('accessibility_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='partial', nullable=False),
    sa.Column('limitations', sa.JSON(), nullable=True),
    sa.Column('evaluation_method', sa.String(length=20), server_default='self', nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=True),
    sa.Column('prepared_by', sa.String(length=200), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('enforcement_name', sa.String(length=200), nullable=True),
    sa.Column('enforcement_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("evaluation_method IN ('self', 'external')", name=op.f('ck_accessibility_statement_evaluation_method')),
    sa.CheckConstraint("status IN ('full', 'partial', 'none')", name=op.f('ck_accessibility_statement_status')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_accessibility_statement_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_statement')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_accessibility_statement_municipality_id'))
    )


def downgrade():
    op.drop_table('accessibility_statement')
    with op.batch_alter_table('accessibility_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accessibility_feedback_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_accessibility_feedback_answered_at'))

    op.drop_table('accessibility_feedback')
