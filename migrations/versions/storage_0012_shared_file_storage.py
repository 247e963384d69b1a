"""Files kept in the database (the shared storage of several machines): one row per file,
its bytes in numbered pieces

Revision ID: storage_0012
Revises: imports_0011
Create Date: 2026-12-09 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'storage_0012'
down_revision = 'imports_0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('chunks', sa.Integer(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_stored_file_size_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('area', 'key', name=op.f('uq_stored_file_area_key'))
    )
    op.create_table('stored_file_chunk',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('seq >= 0', name=op.f('ck_stored_file_chunk_seq_not_negative')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_stored_file_chunk_file_id_stored_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'seq', name=op.f('pk_stored_file_chunk'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        # Photos, PDFs and workbooks are compressed already: keep the pieces as they are.
        op.execute('ALTER TABLE stored_file_chunk ALTER COLUMN data SET STORAGE EXTERNAL')


def downgrade():
    op.drop_table('stored_file_chunk')
    op.drop_table('stored_file')
