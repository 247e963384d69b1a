"""Volunteer teams (志愿服务队): a leader, a roster of registered volunteers and named people
without an account, the team's sign-ups for shifts (its places taken together), and each
person's place with the hours recorded for them

Revision ID: teams_0012
Revises: reputation_0012
Create Date: 2026-12-07 01:30:53.453204

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'teams_0012'
down_revision = 'reputation_0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['user.id'], name=op.f('fk_team_leader_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_team_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_team_tenant_id_name'))
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=60), server_default='', nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('invited', 'active', 'declined', 'removed')", name=op.f('ck_team_member_status_known')),
    sa.CheckConstraint("user_id IS NOT NULL OR name <> ''", name=op.f('ck_team_member_named_or_registered')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_team_member_added_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_member_team_id_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_team_member_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_team_member_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_team_member_team_id_user_id'))
    )
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_member_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_member_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_member_user_id'), ['user_id'], unique=False)

    op.create_table('team_signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('signed_up_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_team_signup_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_team_signup_shift_id_shift'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_up_by_id'], ['user.id'], name=op.f('fk_team_signup_signed_up_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_signup_team_id_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_team_signup_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_signup')),
    sa.UniqueConstraint('team_id', 'shift_id', name=op.f('uq_team_signup_team_id_shift_id'))
    )
    with op.batch_alter_table('team_signup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_signup_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_signup_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_signup_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_signup_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('team_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_signup_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=True),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('scheduled_minutes', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('minutes IS NULL OR (minutes >= 0 AND minutes <= scheduled_minutes)', name=op.f('ck_team_place_minutes_within_shift')),
    sa.ForeignKeyConstraint(['member_id'], ['team_member.id'], name=op.f('fk_team_place_member_id_team_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_team_place_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['service_record.id'], name=op.f('fk_team_place_record_id_service_record'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_team_place_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_team_place_shift_id_shift'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signup_id'], ['shift_signup.id'], name=op.f('fk_team_place_signup_id_shift_signup'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_signup_id'], ['team_signup.id'], name=op.f('fk_team_place_team_signup_id_team_signup'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_team_place_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_place')),
    sa.UniqueConstraint('team_signup_id', 'member_id', name=op.f('uq_team_place_team_signup_id_member_id'))
    )
    with op.batch_alter_table('team_place', schema=None) as batch_op:
        batch_op.create_index('ix_team_place_held', ['shift_id'], unique=False, sqlite_where=sa.text('held'), postgresql_where=sa.text('held'))
        batch_op.create_index('ix_team_place_member', ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_place_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_place_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('team_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_place_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_team_place_org_id'))
        batch_op.drop_index('ix_team_place_member')
        batch_op.drop_index('ix_team_place_held', sqlite_where=sa.text('held'), postgresql_where=sa.text('held'))

    op.drop_table('team_place')
    with op.batch_alter_table('team_signup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_signup_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_team_signup_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_signup_shift_id'))
        batch_op.drop_index(batch_op.f('ix_team_signup_org_id'))

    op.drop_table('team_signup')
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_team_member_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_team_member_team_id'))

    op.drop_table('team_member')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_team_leader_id'))

    op.drop_table('team')
