"""The local backend: files in a folder of this machine (the embedded default)."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import BinaryIO

from app import files

#: Open without following a symbolic link in the last place (where the system offers it).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class LocalStore:
    is_local = True

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, key: str, under: str = "") -> Path:
        """The file's place, which must lie in ``under`` and reach it through no link."""
        return files.inside(self.root, key, under)

    def put(self, key: str, source: bytes | BinaryIO) -> int:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path = self.path(key)  # checked again now that its folders exist
        tmp = path.with_name(path.name + ".part")
        tmp.unlink(missing_ok=True)  # a stale one (or a link put there) is never written through
        with tmp.open("xb") as fh:
            if isinstance(source, bytes | bytearray):
                fh.write(source)
            else:
                shutil.copyfileobj(source, fh, 1024 * 1024)
            fh.flush()
            os.fsync(fh.fileno())
            size = fh.tell()
        tmp.replace(path)
        return size

    def open(self, key: str, under: str = "") -> BinaryIO:
        path = self.path(key, under)
        try:
            fd = os.open(path, os.O_RDONLY | NOFOLLOW)
        except OSError as exc:
            raise FileNotFoundError(key) from exc
        fh = os.fdopen(fd, "rb")
        if not path.is_file():
            fh.close()
            raise FileNotFoundError(key)
        return fh

    def exists(self, key: str, under: str = "") -> bool:
        try:
            return self.path(key, under).is_file()
        except FileNotFoundError:
            return False

    def size(self, key: str) -> int | None:
        return self.path(key).stat().st_size if self.exists(key) else None

    def delete(self, key: str, under: str = "") -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key, under).unlink(missing_ok=True)

    def names(self, folder: str) -> list[str]:
        try:
            place = self.path(folder)
        except FileNotFoundError:
            return []
        if not place.is_dir():
            return []
        return sorted(p.name for p in place.iterdir() if p.is_file() and not p.is_symlink())
