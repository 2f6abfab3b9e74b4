"""Leichte Sprache page per Kommune: its own text, who checked it, its DGS video

Revision ID: 2b4448fd5e00
Revises: c418a3ed0e97
Create Date: 2026-11-27 13:47:40.480018

"""
from alembic import op
import sqlalchemy as sa

import exchange.timeutil


# revision identifiers, used by Alembic.
revision = '2b4448fd5e00'
down_revision = 'c418a3ed0e97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('easy_language_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('checked_by', sa.String(length=200), server_default='', nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('video_file', sa.String(length=80), server_default='', nullable=False),
    sa.Column('video_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('updated_at', exchange.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_easy_language_page_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_easy_language_page')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_easy_language_page_municipality_id'))
    )


def downgrade():
    op.drop_table('easy_language_page')
