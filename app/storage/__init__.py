"""Where the app keeps its files (uploads, exports, certificates, the published journal),
behind one small interface so that web processes keep no local state.

Two backends, chosen by ``STORAGE`` (from the environment):

- ``local`` (the embedded default): plain files under ``UPLOAD_DIR``, ``EXPORT_DIR`` and
  ``LEDGER_DIR``, as on one machine;
- ``database``: the files as blobs in the app's database (PostgreSQL when several machines
  share it), so any web process can serve what another stored.

Keys are made by the app, never by a user, and are still checked on every use: a key that is
absolute, climbs out with ``..``, holds a backslash or a NUL, or lies outside the folder the
caller names (``under``) names nothing (``FileNotFoundError``).
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from flask import abort, current_app, send_file

#: The areas files are kept in; each is a folder of its own in the local backend.
UPLOADS, EXPORTS, JOURNAL = "uploads", "exports", "journal"
LOCAL_ROOTS = {UPLOADS: "UPLOAD_DIR", EXPORTS: "EXPORT_DIR", JOURNAL: "LEDGER_DIR"}
BACKENDS = ("local", "database")


class Store(Protocol):
    """One area of storage; keys are relative, ``/``-separated names made by the app."""

    #: True when the area is the very folder the ledger writes (nothing to publish).
    is_local: bool

    def put(self, key: str, source: bytes | BinaryIO) -> int:
        """Keep ``source`` under ``key`` (replacing what was there); returns its size."""

    def open(self, key: str, under: str = "") -> BinaryIO:
        """The file for reading; ``FileNotFoundError`` when there is none or the key is bad."""

    def exists(self, key: str, under: str = "") -> bool: ...

    def size(self, key: str) -> int | None: ...

    def delete(self, key: str, under: str = "") -> None:
        """Remove the file if it is there; a bad key removes nothing."""

    def names(self, folder: str) -> list[str]:
        """The plain files directly in ``folder``, by name, sorted."""


def area(name: str) -> Store:
    """The configured store of one area, for the current app."""
    backend = current_app.config.get("STORAGE", "local")
    if backend == "database":
        from app.storage.database import DatabaseStore

        return DatabaseStore(name)
    if backend != "local":
        raise RuntimeError(f"STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}")
    from app.storage.local import LocalStore

    return LocalStore(current_app.config[LOCAL_ROOTS[name]])


def send(name: str, key: str, under: str, mimetype: str, download_name: str,
         as_attachment: bool = False):
    """A response with the stored file, or 404; private, never kept by shared caches."""
    try:
        fh = area(name).open(key, under)
    except FileNotFoundError:
        abort(404)
    size = fh.seek(0, 2)
    fh.seek(0)
    response = send_file(fh, mimetype=mimetype, download_name=download_name,
                         as_attachment=as_attachment, max_age=0)
    response.content_length = size
    response.headers["Cache-Control"] = "private, no-store"
    return response
