"""Writing a sheet in the national template's layout: its sheet name, the title row, the
header row where the template has it (required headers marked *), then one row per item."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from app.national.mapping import Layout, cell


def write(path: Path | BinaryIO, layout: Layout, items: Iterable[dict]) -> int:
    """Write the workbook (streaming) to a file or a stream; returns the number of rows
    written. With no items, it is the empty template."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(layout.sheet)
    for index, column in enumerate(layout.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    if layout.header_row > 1:
        title = WriteOnlyCell(sheet, value=layout.title)
        title.font = Font(bold=True)
        sheet.append([title])
        for _ in range(layout.header_row - 2):
            sheet.append([])
    headers = []
    for column in layout.columns:
        head = WriteOnlyCell(sheet, value=column.title)
        head.font = Font(bold=True, color="C00000" if column.required else None)
        headers.append(head)
    sheet.append(headers)
    count = 0
    for item in items:
        out = []
        for column in layout.columns:
            value = cell(column, item.get(column.field))
            if isinstance(value, str):
                value = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                value.data_type = "s"  # text stays text: never a formula, nor a long number
            out.append(value)
        sheet.append(out)
        count += 1
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path = str(path)
    book.save(path)
    return count
