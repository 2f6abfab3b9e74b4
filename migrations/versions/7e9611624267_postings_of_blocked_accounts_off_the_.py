"""Postings of blocked accounts off the board; masked, case-folded search text

Revision ID: 7e9611624267
Revises: 4f32a9271853
Create Date: 2026-11-27 13:43:38.831495

"""
from alembic import op
import sqlalchemy as sa

import exchange.timeutil
# Unlike the frozen copy in 0d9afd076ffb, the search text is computed by the app's own function:
# it must be exactly what the app writes for a new posting today (contacts cut out as the app
# masks them, then case-folded), or existing postings would be found by other words than new
# ones – and by a phone number the app masks.
from exchange.postings.search import search_text


# revision identifiers, used by Alembic.
revision = '7e9611624267'
down_revision = '4f32a9271853'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_author_blocked', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        batch_op.drop_index(batch_op.f('ix_posting_board'))
        batch_op.create_index('ix_posting_board', ['municipality_id', 'status', 'expires_at', 'is_author_blocked'], unique=False)

    connection = op.get_bind()
    posting = sa.table(
        'posting',
        sa.column('id', sa.Integer),
        sa.column('author_id', sa.Integer),
        sa.column('title', sa.String),
        sa.column('description', sa.Text),
        sa.column('is_author_blocked', sa.Boolean),
        sa.column('search_text', sa.Text),
    )
    user = sa.table('user_account', sa.column('id', sa.Integer), sa.column('is_blocked', sa.Boolean))
    # Postings of accounts blocked before this revision leave the board too.
    connection.execute(
        posting.update()
        .where(posting.c.author_id.in_(sa.select(user.c.id).where(user.c.is_blocked == sa.true())))
        .values(is_author_blocked=True)
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(posting.c.id, posting.c.title, posting.c.description)
            .where(posting.c.id > last)
            .order_by(posting.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            posting.update().where(posting.c.id == sa.bindparam('posting_id')),
            [
                {'posting_id': row.id, 'search_text': search_text(row.title, row.description)}
                for row in rows
            ],
        )
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_index('ix_posting_board')
        batch_op.create_index(batch_op.f('ix_posting_board'), ['municipality_id', 'status', 'expires_at'], unique=False)
        batch_op.drop_column('search_text')
        batch_op.drop_column('is_author_blocked')
