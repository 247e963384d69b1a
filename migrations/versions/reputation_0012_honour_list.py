"""A volunteer's choices: to appear on the public honour list (光荣榜), and by full name; to be
told when a shift that suits them opens

Revision ID: reputation_0012
Revises: overseers_0012
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'reputation_0012'
down_revision = 'overseers_0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('honour_listed', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('honour_full_name', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('shift_notices', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_check_constraint(op.f('ck_volunteer_profile_honour_full_name_listed'),
                                         'honour_listed OR NOT honour_full_name')


def downgrade():
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_volunteer_profile_honour_full_name_listed'), type_='check')
        batch_op.drop_column('shift_notices')
        batch_op.drop_column('honour_full_name')
        batch_op.drop_column('honour_listed')
