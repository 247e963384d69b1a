"""Residents' consultations (居民议事): a community's options drawn from its unmet needs and
proposed projects, one vote per resident (a unique constraint), comments, paper and meeting
votes entered by staff with their source; a call cites the consultation that chose its
priorities

Revision ID: consult_0012
Revises: storage_0012
Create Date: 2026-12-07 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'consult_0012'
down_revision = 'storage_0012'
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def _tenant(table):
    return [sa.Column('tenant_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'],
                                    name=op.f(f'fk_{table}_tenant_id_tenant'), ondelete='CASCADE')]


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', UTC, nullable=False),
    sa.Column('closes_at', UTC, nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', UTC, nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', UTC, nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    *_tenant('consultation'),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_consultation_closes_after_opening')),
    sa.CheckConstraint("status IN ('open', 'closed', 'published')", name=op.f('ck_consultation_status_known')),
    sa.CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name=op.f('ck_consultation_published_has_time')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_consultation_area_id_area'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_consultation_created_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_consultation_closed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_consultation_published_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_consultation_area_status', ['tenant_id', 'area_id', 'status'], unique=False)

    op.create_table('consultation_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    *_tenant('consultation_option'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_option_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_consultation_option_need_id_need'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_option')),
    sa.UniqueConstraint('consultation_id', 'position', name=op.f('uq_consultation_option_consultation_id_position')),
    sa.UniqueConstraint('consultation_id', 'need_id', name=op.f('uq_consultation_option_consultation_id_need_id')),
    sa.UniqueConstraint('id', 'consultation_id', name='uq_consultation_option_id_consultation')
    )
    with op.batch_alter_table('consultation_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_option_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_option_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('consultation_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', UTC, nullable=False),
    *_tenant('consultation_vote'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_vote_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id', 'consultation_id'], ['consultation_option.id', 'consultation_option.consultation_id'], name='fk_consultation_vote_option_same', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_consultation_vote_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_consultation_vote_area_id_area'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_vote')),
    sa.UniqueConstraint('consultation_id', 'user_id', name='uq_consultation_vote_one_each')
    )
    with op.batch_alter_table('consultation_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_vote_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_vote_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_consultation_vote_option', ['consultation_id', 'option_id'], unique=False)

    op.create_table('consultation_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    *_tenant('consultation_comment'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_comment_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_consultation_comment_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comment'))
    )
    with op.batch_alter_table('consultation_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comment_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_comment_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_comment_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('consultation_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    *_tenant('consultation_tally'),
    sa.CheckConstraint('votes > 0', name=op.f('ck_consultation_tally_votes_positive')),
    sa.CheckConstraint("source IN ('paper', 'meeting')", name=op.f('ck_consultation_tally_source_known')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_tally_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id', 'consultation_id'], ['consultation_option.id', 'consultation_option.consultation_id'], name='fk_consultation_tally_option_same', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_consultation_tally_entered_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_tally')),
    sa.UniqueConstraint('consultation_id', 'option_id', 'source', 'held_on', name='uq_consultation_tally_once')
    )
    with op.batch_alter_table('consultation_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_tally_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_tally_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_call_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_call_consultation_id_consultation'), 'consultation', ['consultation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_call_consultation_id_consultation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_call_consultation_id'))
        batch_op.drop_column('consultation_id')
    for table in ('consultation_tally', 'consultation_comment', 'consultation_vote',
                  'consultation_option', 'consultation'):
        op.drop_table(table)
