"""Proof that residents were served: attendance at service slots (one per booking, its source
tagged: scanned code, staff, or the resident's own confirmation; no-shows by staff), return-visit
samples and visits, and the dashboard's stored totals of no-shows and return visits

Bookings made before this revision get no attendance: nothing shows whether those residents
came, so people served count from the first attendance recorded.

Revision ID: served_0011
Revises: rules_0011
Create Date: 2026-12-09 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'served_0011'
down_revision = "rules_0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('return_visit_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=24), nullable=False),
    sa.Column('algorithm', sa.String(length=60), nullable=False),
    sa.Column('population_count', sa.Integer(), nullable=False),
    sa.Column('population_digest', sa.String(length=64), nullable=False),
    sa.Column('cutoff_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('sample_size > 0', name=op.f('ck_return_visit_sample_sample_size_positive')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user.id'], name=op.f('fk_return_visit_sample_drawn_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_return_visit_sample_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visit_sample'))
    )
    with op.batch_alter_table('return_visit_sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visit_sample_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('slot_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('code_ref', sa.String(length=64), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("attended OR source = 'staff'", name=op.f('ck_slot_attendance_no_show_by_staff')),
    sa.CheckConstraint("source <> 'qr' OR code_ref IS NOT NULL", name=op.f('ck_slot_attendance_scan_has_code')),
    sa.CheckConstraint("source IN ('qr', 'staff', 'resident')", name=op.f('ck_slot_attendance_source_known')),
    sa.ForeignKeyConstraint(['booking_id'], ['slot_booking.id'], name=op.f('fk_slot_attendance_booking_id_slot_booking'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_slot_attendance_marked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_slot_attendance_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['service_slot.id'], name=op.f('fk_slot_attendance_slot_id_service_slot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_slot_attendance_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_slot_attendance_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot_attendance')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_slot_attendance_booking_id'))
    )
    with op.batch_alter_table('slot_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slot_attendance_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_slot_attendance_served', ['tenant_id', 'attended', 'org_id', 'slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_slot_attendance_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_slot_attendance_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_slot_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('return_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('attendance_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('visited_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('method', sa.String(length=12), nullable=True),
    sa.Column('reached', sa.Boolean(), nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('visited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IS NULL OR method IN ('phone', 'doorstep')", name=op.f('ck_return_visit_method_known')),
    sa.CheckConstraint('(visited_at IS NULL) = (reached IS NULL)', name=op.f('ck_return_visit_visited_has_outcome')),
    sa.CheckConstraint('confirmed IS NOT NULL OR NOT reached', name=op.f('ck_return_visit_reached_answers')),
    sa.CheckConstraint('reached OR (confirmed IS NULL AND satisfaction IS NULL)', name=op.f('ck_return_visit_unreached_says_nothing')),
    sa.CheckConstraint('satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5', name=op.f('ck_return_visit_satisfaction_range')),
    sa.CheckConstraint('visited_at IS NULL OR method IS NOT NULL', name=op.f('ck_return_visit_visited_has_method')),
    sa.ForeignKeyConstraint(['attendance_id'], ['slot_attendance.id'], name=op.f('fk_return_visit_attendance_id_slot_attendance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_return_visit_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['user.id'], name=op.f('fk_return_visit_resident_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sample_id'], ['return_visit_sample.id'], name=op.f('fk_return_visit_sample_id_return_visit_sample'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['service_slot.id'], name=op.f('fk_return_visit_slot_id_service_slot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_return_visit_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visited_by_id'], ['user.id'], name=op.f('fk_return_visit_visited_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visit')),
    sa.UniqueConstraint('sample_id', 'attendance_id', name=op.f('uq_return_visit_sample_id_attendance_id')),
    sa.UniqueConstraint('sample_id', 'position', name=op.f('uq_return_visit_sample_id_position'))
    )
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visit_attendance_id'), ['attendance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_visit_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_visit_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_visit_sample_id'), ['sample_id'], unique=False)
        batch_op.create_index('ix_return_visit_slot', ['slot_id', 'reached', 'confirmed'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_visit_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('org_service_summary', schema=None) as batch_op:
        batch_op.add_column(sa.Column('no_shows', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('visits_reached', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('visits_confirmed', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('visit_score_sum', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('visit_scores', sa.Integer(), nullable=False,
                                      server_default='0'))



def downgrade():
    with op.batch_alter_table('org_service_summary', schema=None) as batch_op:
        batch_op.drop_column('visit_scores')
        batch_op.drop_column('visit_score_sum')
        batch_op.drop_column('visits_confirmed')
        batch_op.drop_column('visits_reached')
        batch_op.drop_column('no_shows')

    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_visit_tenant_id'))
        batch_op.drop_index('ix_return_visit_slot')
        batch_op.drop_index(batch_op.f('ix_return_visit_sample_id'))
        batch_op.drop_index(batch_op.f('ix_return_visit_resident_id'))
        batch_op.drop_index(batch_op.f('ix_return_visit_org_id'))
        batch_op.drop_index(batch_op.f('ix_return_visit_attendance_id'))

    op.drop_table('return_visit')
    with op.batch_alter_table('slot_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slot_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_slot_attendance_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_slot_attendance_slot_id'))
        batch_op.drop_index('ix_slot_attendance_served')
        batch_op.drop_index(batch_op.f('ix_slot_attendance_org_id'))

    op.drop_table('slot_attendance')
    with op.batch_alter_table('return_visit_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_visit_sample_tenant_id'))

    op.drop_table('return_visit_sample')
