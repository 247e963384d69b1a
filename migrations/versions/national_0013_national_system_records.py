"""Records brought in from the national volunteer system keep their source and their record
number there (once per district); imports know the national system's files; an export
holding personal data counts its downloads (each one audited)

Revision ID: national_0013
Revises: timebank_0012
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'national_0013'
down_revision = 'timebank_0012'
branch_labels = None
depends_on = None

HAS_KEY = sa.text('source_key IS NOT NULL')
KINDS = "'volunteers', 'residents', 'organizations', 'records'"


def upgrade():
    with op.batch_alter_table('service_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=20), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('source_key', sa.String(length=80), nullable=True))
        batch_op.create_index('uq_service_record_source_key', ['tenant_id', 'source', 'source_key'],
                              unique=True, sqlite_where=HAS_KEY, postgresql_where=HAS_KEY)
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_import_batch_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_import_batch_kind_known'),
                                         f"kind IN ({KINDS}, 'national_records')")
    with op.batch_alter_table('export', schema=None) as batch_op:
        batch_op.add_column(sa.Column('downloads', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('export', schema=None) as batch_op:
        batch_op.drop_column('downloads')
    op.execute("DELETE FROM import_batch WHERE kind = 'national_records'")
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_import_batch_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_import_batch_kind_known'), f"kind IN ({KINDS})")
    with op.batch_alter_table('service_record', schema=None) as batch_op:
        batch_op.drop_index('uq_service_record_source_key', sqlite_where=HAS_KEY,
                            postgresql_where=HAS_KEY)
        batch_op.drop_column('source_key')
        batch_op.drop_column('source')
