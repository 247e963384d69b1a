"""Community notices (社区通知) to the residents of an area, and residents' choice to receive
them or not (the areas community staff are in charge of are ``area_staff``, of needs_0014)

Revision ID: notices_0014
Revises: grassroots_0014
Create Date: 2026-12-11 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'notices_0014'
down_revision = 'grassroots_0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('receives', sa.Boolean(), nullable=False),
    sa.Column('how', sa.String(length=10), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_how', sa.String(length=10), nullable=True),
    sa.Column('consent_given_by', sa.String(length=60), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("consent_how IS NULL OR consent_how IN ('spoken', 'written')", name=op.f('ck_notice_choice_consent_how_known')),
    sa.CheckConstraint("how <> 'staff' OR consent_how IS NOT NULL", name=op.f('ck_notice_choice_staff_has_consent')),
    sa.CheckConstraint("how IN ('self', 'link', 'staff')", name=op.f('ck_notice_choice_how_known')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_notice_choice_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_notice_choice_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notice_choice_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_choice')),
    sa.UniqueConstraint('tenant_id', 'user_id', name=op.f('uq_notice_choice_tenant_id_user_id'))
    )
    with op.batch_alter_table('notice_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_choice_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('community_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('area_name', sa.String(length=80), nullable=False),
    sa.Column('target_group', sa.String(length=40), server_default='', nullable=False),
    sa.Column('title', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reached', sa.Integer(), server_default='0', nullable=False),
    sa.Column('by_sms', sa.Integer(), server_default='0', nullable=False),
    sa.Column('opted_out', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cursor_user_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('sending', 'sent')", name=op.f('ck_community_notice_status_known')),
    sa.CheckConstraint('reached >= 0 AND by_sms >= 0 AND opted_out >= 0', name=op.f('ck_community_notice_counts')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_community_notice_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user.id'], name=op.f('fk_community_notice_sent_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_community_notice_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_notice'))
    )
    with op.batch_alter_table('community_notice', schema=None) as batch_op:
        batch_op.create_index('ix_community_notice_area_day', ['tenant_id', 'area_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_notice_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('community_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_notice_tenant_id'))
        batch_op.drop_index('ix_community_notice_area_day')

    op.drop_table('community_notice')
    with op.batch_alter_table('notice_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_choice_tenant_id'))

    op.drop_table('notice_choice')
