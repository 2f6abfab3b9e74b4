"""Posting: the day its author turns 18 (a minor's postings hide her place on the board)

Revision ID: b7c1d2e3f4a5
Revises: 5c2e8a1f0b7d
Create Date: 2026-11-27 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = '5c2e8a1f0b7d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_adult_on', sa.Date(), nullable=True))
    # Postings written before: from their authors' birth dates (18th birthday; 29 Feb → 1 Mar).
    posting = sa.table('posting', sa.column('author_id'), sa.column('author_adult_on', sa.Date))
    user = sa.table('user_account', sa.column('id'), sa.column('birth_date', sa.Date))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(user.c.id, user.c.birth_date).where(user.c.birth_date.is_not(None))
    ).all()
    import datetime

    today = datetime.date.today()
    for user_id, born in rows:
        try:
            adult_on = born.replace(year=born.year + 18)
        except ValueError:
            adult_on = datetime.date(born.year + 18, 3, 1)
        if adult_on > today:
            bind.execute(
                posting.update()
                .where(posting.c.author_id == user_id)
                .values(author_adult_on=adult_on)
            )


def downgrade():
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_column('author_adult_on')
