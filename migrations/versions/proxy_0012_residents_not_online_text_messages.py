"""Residents who are not online, registered and acted for by staff (代办) with their consent
recorded; bookings and attendance confirmations made on their behalf name the staff member;
text-message copies of inbox messages

Revision ID: proxy_0012
Revises: teams_0012
Create Date: 2026-12-07 01:29:43

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'proxy_0012'
down_revision = 'teams_0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms_status', sa.String(length=10), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('sms_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('resident_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number', sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kept_by_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_how', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('consent_given_by', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_resident_profile_kept_by_org_id'), ['kept_by_org_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_resident_profile_tenant_id_id_number'), ['tenant_id', 'id_number'])
        batch_op.create_foreign_key(batch_op.f('fk_resident_profile_registered_by_id_user'), 'user', ['registered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_resident_profile_consent_recorded_by_id_user'), 'user', ['consent_recorded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_resident_profile_kept_by_org_id_organization'), 'organization', ['kept_by_org_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(
            op.f('ck_resident_profile_consent_how_known'), "consent_how IS NULL OR consent_how IN ('spoken', 'written')")
        batch_op.create_check_constraint(
            op.f('ck_resident_profile_consent_complete'), '(consent_how IS NULL) = (consent_at IS NULL)')

    with op.batch_alter_table('slot_attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proxy_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_slot_attendance_proxy_id_user'), 'user', ['proxy_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('slot_booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proxy_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_slot_booking_proxy_id_user'), 'user', ['proxy_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offline', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('sms', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_constraint(op.f('ck_user_login_id'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_user_login_id'), 'phone IS NOT NULL OR email IS NOT NULL OR offline')


def downgrade():
    op.execute('DELETE FROM "user" WHERE offline AND phone IS NULL AND email IS NULL')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_login_id'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_login_id'), 'phone IS NOT NULL OR email IS NOT NULL')
        batch_op.drop_column('sms')
        batch_op.drop_column('offline')

    with op.batch_alter_table('slot_booking', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_slot_booking_proxy_id_user'), type_='foreignkey')
        batch_op.drop_column('proxy_id')

    with op.batch_alter_table('slot_attendance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_slot_attendance_proxy_id_user'), type_='foreignkey')
        batch_op.drop_column('proxy_id')

    with op.batch_alter_table('resident_profile', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_resident_profile_kept_by_org_id_organization'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_resident_profile_consent_recorded_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_resident_profile_registered_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_resident_profile_consent_complete'), type_='check')
        batch_op.drop_constraint(op.f('ck_resident_profile_consent_how_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_resident_profile_tenant_id_id_number'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_resident_profile_kept_by_org_id'))
        batch_op.drop_column('consent_recorded_by_id')
        batch_op.drop_column('consent_given_by')
        batch_op.drop_column('consent_how')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('kept_by_org_id')
        batch_op.drop_column('registered_by_id')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('id_number')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('sms_at')
        batch_op.drop_column('sms_status')
