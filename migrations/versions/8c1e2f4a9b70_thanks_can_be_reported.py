"""Thanks can be reported: report.thanks_id

Revision ID: 8c1e2f4a9b70
Revises: b7c1d2e3f4a5
Create Date: 2026-11-27 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c1e2f4a9b70'
down_revision = 'b7c1d2e3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thanks_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_thanks_id'), ['thanks_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_report_thanks_id_thanks'), 'thanks', ['thanks_id'], ['id'],
            ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_thanks_id_thanks'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_report_thanks_id'))
        batch_op.drop_column('thanks_id')
