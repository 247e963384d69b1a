"""The spreadsheets themselves (openpyxl): the template to fill in, reading an upload row by
row (read-only, streaming), and the annotated file of the rows with problems (write-only).

An upload must be a real .xlsx (a zip holding a workbook), small enough once unpacked; a
formula's cached value is read, never the formula. Text that starts with "=" is written back
as text, never as a formula.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.imports.columns import (
    AREAS,
    CATEGORIES,
    ERRORS_HEADER,
    GENDER_WORDS,
    GENDERS,
    GROUPS,
    ORG_KINDS,
    YES,
    YES_NO,
    Spec,
    normalize_header,
)

#: Unpacked size an upload may reach (a 100,000-row sheet is well under it).
MAX_UNPACKED = 400 * 1024 * 1024
MAX_ROWS = 200_000
#: Columns read from each row: the template's and a few the person added.
MAX_COLUMNS = 40
RED = "FFC7CE"
INSTRUCTIONS, CHOICES = "填写说明", "选项"
#: Rows looked through for the header row.
HEADER_SEARCH = 5


class FileRefused(ValueError):
    """The whole file cannot be read as this kind of import (not a row's problem)."""


def check_xlsx(data: bytes) -> None:
    """An .xlsx by its content, whatever its name says; not a zip bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        names, unpacked = set(), 0
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRefused(_l("Only Excel .xlsx files are accepted (not .xls, .csv or others). "
                             "Please save the file as .xlsx and upload it again."))
    if unpacked > MAX_UNPACKED:
        raise FileRefused(_l("The file is too large once unpacked."))


def choice_lists(tenant, areas: list[str]) -> dict[str, list[str]]:
    return {AREAS: areas, CATEGORIES: list(tenant.setting("service_categories")),
            GROUPS: list(tenant.setting("target_groups")),
            ORG_KINDS: list(tenant.setting("org_kinds")), GENDERS: list(GENDER_WORDS),
            YES_NO: [YES, "否"]}


def template(spec: Spec, lists: dict[str, list[str]]) -> bytes:
    """The template: the data sheet (headers, the example row, lists to choose from), the
    instructions, and the lists themselves on a sheet of their own."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = spec.sheet
    sheet.append([c.title for c in spec.columns])
    sheet.append(list(spec.example))
    sheet.freeze_panes = "A2"
    options = book.create_sheet(CHOICES)
    used = [name for name in dict.fromkeys(c.choices for c in spec.columns) if name]
    for index, name in enumerate(used, start=1):
        letter = get_column_letter(index)
        options.cell(1, index, name)
        for row, value in enumerate(lists.get(name, []), start=2):
            options.cell(row, index, value)
        options.column_dimensions[letter].width = 30
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        head = sheet.cell(1, index)
        head.font = Font(bold=True, color="C00000" if column.required else None)
        head.fill = PatternFill("solid", fgColor="EEEEEE")
        sheet.cell(2, index).font = Font(italic=True, color="808080")
        if column.text:
            for row in range(2, 1002):
                sheet.cell(row, index).number_format = "@"
        if column.choices and lists.get(column.choices):
            at = get_column_letter(used.index(column.choices) + 1)
            end = len(lists[column.choices]) + 1
            check = DataValidation(type="list", formula1=f"'{CHOICES}'!${at}$2:${at}${end}",
                                   allow_blank=True, showErrorMessage=True)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(check)
    _instructions(book.create_sheet(INSTRUCTIONS), spec)
    options.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(sheet, spec: Spec) -> None:
    from openpyxl.styles import Font

    lines = [
        (_("How to fill in this template"), True),
        (str(spec.key_hint), False),
        (_("Fill in the sheet “%(sheet)s” from row 2; columns marked * must be filled in.",
           sheet=spec.sheet), False),
        (_("The grey example row is skipped when left as it is; you may overwrite it."), False),
        (_("Choose areas, categories and kinds from the lists in their cells."), False),
        (_("Nothing is written until you confirm: the upload is checked row by row first, and "
           "rows with problems can be downloaded with the reasons, corrected and uploaded "
           "again. Rows already recorded are left as they are."), False),
        ("", False),
        (_("Column"), True),
    ]
    for text, bold in lines:
        sheet.append([text])
        sheet.cell(sheet.max_row, 1).font = Font(bold=bold)
    for column in spec.columns:
        need = _("required") if column.required else _("optional")
        sheet.append([column.header, need, str(column.hint)])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 70


def read(source: BinaryIO, spec: Spec) -> tuple[list[str], dict[str, int],
                                               Iterator[tuple[int, tuple]], int | None]:
    """(headers as given, column key → position, an iterator of (row number, cells), the
    sheet's row count if it says). The data sheet is the one named like the template's, else
    the first one."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(_l("The file cannot be read as an Excel workbook.")) from None
    names = [n for n in book.sheetnames if n not in (INSTRUCTIONS, CHOICES)]
    if not names:
        raise FileRefused(_l("The workbook has no sheet with rows."))
    sheet = book[spec.sheet if spec.sheet in names else names[0]]
    wanted = {normalize_header(c.header): c.key for c in spec.columns}
    found = _header(sheet, spec, wanted)
    if found is None:
        raise FileRefused(_l("The sheet is empty."))
    number, headers, positions = found
    missing = [c.header for c in spec.columns if c.required and c.key not in positions]
    if missing:
        raise FileRefused(_l("Columns missing: %(names)s. Please use the template.",
                             names="、".join(missing)))
    total = sheet.max_row - number if sheet.max_row else None

    def rows() -> Iterator[tuple[int, tuple]]:
        lines = sheet.iter_rows(min_row=number + 1, max_col=len(headers), values_only=True)
        yield from enumerate(lines, start=number + 1)
        book.close()

    return headers, positions, rows(), total


def _header(sheet, spec: Spec, wanted: dict[str, str]):
    """(row number, headers, column key → position) of the header row: the first row that has
    every required column, among the first ``HEADER_SEARCH`` rows with something in them
    (a template may have a title above its headers); else the first such row."""
    first = None
    seen = 0
    for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                                   start=1):
        if not any(v not in (None, "") for v in cells):
            continue
        headers = ["" if v is None else str(v) for v in cells]
        while headers and not headers[-1].strip():
            headers.pop()
        positions: dict[str, int] = {}
        for index, header in enumerate(headers):
            key = wanted.get(normalize_header(header))
            if key and key not in positions:
                positions[key] = index
        first = first or (number, headers, positions)
        if all(c.key in positions for c in spec.columns if c.required):
            return number, headers, positions
        seen += 1
        if seen >= HEADER_SEARCH:
            break
    return first


def annotated(target: BinaryIO, spec: Spec, headers: list[str], positions: dict[str, int],
              bad_rows) -> int:
    """The rows with problems, as they came, with 错误说明 and the bad cells in red."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill

    red = PatternFill("solid", fgColor=RED)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.sheet)
    width = max(len(headers), max(positions.values(), default=0) + 1)
    header = [WriteOnlyCell(sheet, value=h) for h in headers + [""] * (width - len(headers))]
    header.append(WriteOnlyCell(sheet, value=ERRORS_HEADER))
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    titles = {c.key: c.header for c in spec.columns}
    count = 0
    for row in bad_rows:
        bad = {positions.get(k) for k in row.problems}
        out = []
        for index in range(width):
            value = row.cells[index] if index < len(row.cells) else None
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if index in bad:
                cell.fill = red
            out.append(cell)
        reasons = "；".join(f"{titles.get(k, k)}：{m}" for k, m in row.problems.items())
        out.append(WriteOnlyCell(sheet, value=_("Row %(n)s: %(reasons)s", n=row.number,
                                                reasons=reasons)))
        sheet.append(out)
        count += 1
    book.save(target)
    return count
