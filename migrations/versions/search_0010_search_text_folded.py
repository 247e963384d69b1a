"""Marketplace search: folded text and name, character and pair codes, listings by date

Every project's search fields are written again, folded as ``app.projects.searchtext`` folds
them (NFKC, Latin lower case): rows written without them (the demo's past project) become
searchable, and full-width forms match their plain ones. ``search_grams`` holds integer codes
of characters and pairs instead of two-character strings; the listing indexes end with the
id, the tie-break of the result order. On PostgreSQL target groups become JSONB.

Revision ID: search_0010
Revises: auth01
Create Date: 2026-12-06 09:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from app.projects import searchtext

revision = 'search_0010'
down_revision = 'auth01'
branch_labels = None
depends_on = None

BATCH = 1000


def _grams_column(postgres: bool, element) -> sa.Column:
    return sa.Column('search_grams', postgresql.ARRAY(element) if postgres else sa.JSON(),
                     server_default=sa.text("'{}'" if postgres else "'[]'"), nullable=False)


def _rebuild(postgres: bool) -> None:
    """Every project's search fields from its name, theme, highlights and content."""
    bind = op.get_bind()
    project = sa.table('project', sa.column('id', sa.Integer), sa.column('name', sa.Text),
                       sa.column('theme', sa.Text), sa.column('highlights', sa.Text),
                       sa.column('content', sa.Text), sa.column('search_name', sa.Text),
                       sa.column('search_text', sa.Text),
                       sa.column('search_grams', postgresql.ARRAY(sa.BigInteger) if postgres
                                 else sa.JSON))
    update = project.update().where(project.c.id == sa.bindparam('row_id')).values(
        search_name=sa.bindparam('search_name'), search_text=sa.bindparam('search_text'),
        search_grams=sa.bindparam('search_grams'))
    last = 0
    while True:
        rows = bind.execute(sa.select(project.c.id, *(project.c[f] for f in searchtext.FIELDS))
                            .where(project.c.id > last).order_by(project.c.id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(update, [{'row_id': row.id, **searchtext.values(row._mapping, postgres)}
                              for row in rows])
        last = rows[-1].id


def upgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_search_grams', postgresql_using='gin', sqlite_where=sa.text('0'))
        batch_op.drop_index('ix_project_listing')
        batch_op.drop_column('search_grams')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(_grams_column(postgres, sa.BigInteger()))
    if postgres:
        # The search's group filter tests target groups row by row: JSONB, no parsing.
        op.execute('ALTER TABLE project ALTER COLUMN target_groups TYPE jsonb USING target_groups::jsonb')
        # Rows up to a page stay uncompressed: a search reading codes row by row (when most
        # projects match) does not decompress them.
        op.execute('ALTER TABLE project SET (toast_tuple_target = 8160)')
    _rebuild(postgres)
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index('ix_project_listing', ['tenant_id', 'status', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_project_category_listing', ['tenant_id', 'status', 'category', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_project_search_grams', ['search_grams'], unique=False, postgresql_using='gin', sqlite_where=sa.text('0'))
        batch_op.create_index('ix_project_target_groups', ['target_groups'], unique=False, postgresql_using='gin', postgresql_ops={'target_groups': 'jsonb_path_ops'}, sqlite_where=sa.text('0'))


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_target_groups', postgresql_using='gin', sqlite_where=sa.text('0'))
        batch_op.drop_index('ix_project_search_grams', postgresql_using='gin', sqlite_where=sa.text('0'))
        batch_op.drop_index('ix_project_category_listing')
        batch_op.drop_index('ix_project_listing')
        batch_op.drop_column('search_grams')
        batch_op.drop_column('search_name')
    if postgres:
        op.execute('ALTER TABLE project RESET (toast_tuple_target)')
        op.execute('ALTER TABLE project ALTER COLUMN target_groups TYPE json USING target_groups::json')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(_grams_column(postgres, sa.Text()))
    if postgres:  # the two-character strings of 0003
        op.execute("""UPDATE project SET search_grams = coalesce((
            SELECT array_agg(DISTINCT g ORDER BY g) FROM (
                SELECT substr(search_text, i, 2) AS g FROM generate_series(1, length(search_text) - 1) AS i
            ) AS grams WHERE g !~ '\\s'), '{}')""")
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index('ix_project_listing', ['tenant_id', 'status', 'published_at'], unique=False)
        batch_op.create_index('ix_project_search_grams', ['search_grams'], unique=False, postgresql_using='gin', sqlite_where=sa.text('0'))
