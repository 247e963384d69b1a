"""Where files are kept (``app.storage``): the same behaviour from folders and from the
database, and two app instances on one PostgreSQL database serving each other's files."""

from __future__ import annotations

import io
import shutil

import pytest
from sqlalchemy import func, select

from app import create_app, storage
from app.extensions import db as _db
from app.storage import database
from app.storage.models import StoredChunk
from tests import settings
from tests.orgs.files import PDF

BAD_KEYS = ["../secret.pdf", "/etc/passwd", "a\\b.pdf", "a/../../b.pdf", "a\x00.pdf", "",
            "./a/b.pdf", "a//b.pdf"]


@pytest.fixture(params=storage.BACKENDS)
def kept(app, db, monkeypatch, tmp_path, request):
    """The uploads area of one backend."""
    monkeypatch.setitem(app.config, "STORAGE", request.param)
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return storage.area(storage.UPLOADS)


def test_a_kept_file_reads_back_replaces_and_goes(kept):
    assert kept.put("7/orgs/3/a.pdf", PDF) == len(PDF)
    with kept.open("7/orgs/3/a.pdf", "7/orgs/3") as fh:
        assert fh.read() == PDF
    assert kept.exists("7/orgs/3/a.pdf") and kept.size("7/orgs/3/a.pdf") == len(PDF)
    kept.put("7/orgs/3/a.pdf", io.BytesIO(b"%PDF-2"))
    assert kept.open("7/orgs/3/a.pdf").read() == b"%PDF-2"
    kept.put("7/orgs/3/b.png", b"png")
    kept.put("7/orgs/3/deeper/c.png", b"png")
    assert kept.names("7/orgs/3") == ["a.pdf", "b.png"]
    kept.delete("7/orgs/3/a.pdf")
    assert not kept.exists("7/orgs/3/a.pdf") and kept.size("7/orgs/3/a.pdf") is None
    with pytest.raises(FileNotFoundError):
        kept.open("7/orgs/3/a.pdf")


def test_a_file_is_found_only_in_its_own_folder_and_by_a_plain_name(kept):
    kept.put("7/orgs/3/a.pdf", PDF)
    with pytest.raises(FileNotFoundError):
        kept.open("7/orgs/3/a.pdf", "8/orgs/3")  # another tenant's folder
    kept.delete("7/orgs/3/a.pdf", "8/orgs")
    assert kept.exists("7/orgs/3/a.pdf")
    for key in BAD_KEYS:
        with pytest.raises(FileNotFoundError):
            kept.open(key)
        with pytest.raises((FileNotFoundError, OSError)):
            kept.put(key, b"x")
        assert not kept.exists(key)


def test_a_large_file_is_kept_in_pieces_and_read_back_whole(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE", "database")
    monkeypatch.setattr(database, "CHUNK", 1000)
    data = bytes(range(256)) * 20  # 5,120 bytes: six pieces
    kept = storage.area(storage.EXPORTS)
    kept.put("1/9-audit_log.xlsx", io.BytesIO(data))
    assert db.session.scalar(select(func.count()).select_from(StoredChunk)) == 6
    assert kept.open("1/9-audit_log.xlsx").read() == data


def test_the_journal_download_is_what_the_ledger_worker_published(app, db, login, monkeypatch,
                                                                    tmp_path):
    """With files in the database, the books' year file and zip come from what the drain
    published, even when this machine has no ledger folder."""
    from app.books.drain import drain
    from tests.funding.factories import funded_contract, funding_world

    monkeypatch.setitem(app.config, "STORAGE", "database")
    monkeypatch.setitem(app.config, "LEDGER_DIR", str(tmp_path / "ledger"))
    with app.test_request_context("/"):
        w = funding_world()
        funded_contract(w)
    assert drain(w.tenant.id) > 0  # the ledger worker's step: post, then publish
    slug = w.tenant.slug
    written = (tmp_path / "ledger" / slug / "main.beancount").read_text()
    shutil.rmtree(tmp_path / "ledger")  # a web machine has none
    client = login(w.auditor, c=app.test_client())
    books = client.get(f"/t/{slug}/books/journal")
    assert books.status_code == 200 and books.mimetype == "application/zip"
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(books.get_data()))
    assert archive.read(f"{slug}/main.beancount").decode() == written
    year = next(n for n in archive.namelist() if not n.endswith("main.beancount"))
    one = client.get(f"/t/{slug}/books/journal?year={year.split('/')[-1][:4]}")
    assert one.status_code == 200 and one.get_data() == archive.read(year)
    assert client.get(f"/t/{slug}/books/journal?year=1999").status_code == 404


@pytest.fixture
def two_machines(app, tmp_path):
    """Two app instances, each with its own instance folder, on the run's PostgreSQL
    database with files kept there; every table is emptied afterwards."""
    if settings.BACKEND != "postgresql":
        pytest.skip("two machines share one PostgreSQL database; this run uses SQLite "
                    "(run with GZ_TEST_DB=postgresql)")
    apps = []
    for name in ("web1", "web2"):
        config = dict(app.config)
        config.update({"STORAGE": "database", "UPLOAD_DIR": str(tmp_path / name / "uploads"),
                       "EXPORT_DIR": str(tmp_path / name / "exports"),
                       "LEDGER_DIR": str(tmp_path / name / "ledger")})
        apps.append(create_app(config))
    yield apps
    for instance in apps:
        with instance.app_context():
            _db.session.remove()
            if instance is apps[0]:
                with _db.engine.begin() as conn:
                    for table in reversed(_db.metadata.sorted_tables):
                        conn.execute(table.delete())
            _db.engine.dispose()


def test_a_receipt_uploaded_on_one_machine_downloads_from_another(two_machines, tmp_path):
    from app.funding.models_spending import Receipt
    from app.funding.samples import receipt_png
    from app.funding.services import today
    from tests.factories import PASSWORD
    from tests.funding.factories import funded_contract, funding_world

    web1, web2 = two_machines
    with web1.test_request_context("/"):
        w = funding_world()
        contract = funded_contract(w)
        _db.session.commit()
        slug, line_id, contract_id = w.tenant.slug, contract.lines[0].id, contract.id
        account = w.bookkeeper.phone or w.bookkeeper.email
    photo = receipt_png()
    first, second = web1.test_client(), web2.test_client()
    for client in (first, second):
        assert client.post("/login", data={"account": account, "password": PASSWORD}) \
            .status_code == 302
    response = first.post(f"/t/{slug}/funding/contracts/{contract_id}/expenditures", data={
        "line_id": line_id, "amount": "1.00", "payee": "出租车公司",
        "spent_on": today().isoformat(), "description": "交通", "method": "transfer",
        "receipts": [(io.BytesIO(photo), "发票.png")]}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with web2.app_context():
        receipt_id = _db.session.scalar(select(Receipt.id).order_by(Receipt.id.desc()))
    download = second.get(f"/t/{slug}/funding/receipts/{receipt_id}")
    assert download.status_code == 200
    assert download.get_data() == photo and download.mimetype == "image/png"
    for name in ("web1", "web2"):  # no machine kept the file for itself
        assert not [p for p in (tmp_path / name).rglob("*") if p.is_file()
                    and "ledger" not in p.parts]
