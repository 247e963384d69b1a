"""The new rows of a checked file, kept between the check and the yes (gzipped JSON lines
beside the upload in storage), so writing them does not read the spreadsheet again; the writing job
still checks them against the database as it is then."""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime, time
from typing import BinaryIO

from app.imports.checks import Row


def _encode(value):
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$c": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict):
    if "$t" in obj:
        return datetime.fromisoformat(obj["$t"])
    if "$d" in obj:
        return date.fromisoformat(obj["$d"])
    if "$c" in obj:
        return time.fromisoformat(obj["$c"])
    return obj


def save(target: BinaryIO, rows: list[Row]) -> None:
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as out:
        for row in rows:
            out.write(json.dumps([row.number, row.values], default=_encode, ensure_ascii=False))
            out.write("\n")


def load(stored: BinaryIO) -> list[Row]:
    with gzip.open(stored, "rt", encoding="utf-8") as source:
        return [Row(number, (), values) for number, values in
                (json.loads(line, object_hook=_decode) for line in source)]
