"""A wish taken on in person: the resident and the volunteer each may let the other see their
mobile number, for this claim only (cleared when the wish is given back)

Revision ID: wishcontact_0015
Revises: availability_0015
Create Date: 2026-12-07 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'wishcontact_0015'
down_revision = 'availability_0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_shares_phone_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('volunteer_shares_phone_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_column('volunteer_shares_phone_at')
        batch_op.drop_column('resident_shares_phone_at')
