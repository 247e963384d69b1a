"""Large-text mode (长辈版) on the account; what an inbox message asks for and about which object

Revision ID: shell_0010
Revises: ci_0010
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'shell_0010'
down_revision = 'ci_0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('large_text', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('subject_id')
        batch_op.drop_column('kind')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('large_text')
