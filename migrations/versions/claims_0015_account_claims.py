"""Imported people claim their account (领取账号): a one-time code sent by text message,
kept as a keyed hash, with its expiry, the time it was used and the wrong tries against it

Revision ID: claims_0015_account_claims
Revises: wishcontact_0015
Create Date: 2026-12-07 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'claims_0015_account_claims'
down_revision = 'wishcontact_0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_account_claim_attempts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_claim_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_claim'))
    )
    with op.batch_alter_table('account_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_claim_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_claim_user_id'))
    op.drop_table('account_claim')
