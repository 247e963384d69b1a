"""Writing files: .xlsx with openpyxl (streaming, write-only) and PDF with WeasyPrint.

PDFs use the Noto Sans CJK SC font (Debian ``fonts-noto-cjk``) so Chinese text is
embedded and can be extracted again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import render_template

PDF_CSS = """
@page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page) " / " counter(pages);
  font-size: 8pt; } }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 15pt; margin: 0 0 4mm; } h2 { font-size: 11.5pt; margin: 5mm 0 2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }
th, td { border: 0.4pt solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.num, th.num { text-align: right; }
.meta { color: #444; font-size: 8.5pt; margin-bottom: 3mm; }
"""


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] = field(default_factory=list)


def write_xlsx(path: Path, sheets: Iterable[Sheet], *, meta: Sequence[Sequence] = ()) -> int:
    """Write the sheets; returns the number of data rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    count = 0
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        for index, width in enumerate(sheet.widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        for line in meta:
            ws.append(_text_stays_text(ws, line))
        if meta:
            ws.append([])
        header = []
        for name in sheet.headers:
            cell = WriteOnlyCell(ws, value=str(name))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append(_text_stays_text(ws, row))
            count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return count


def _text_stays_text(ws, values: Sequence) -> list:
    """The row's values, with text that starts with "=" written as text: openpyxl would make
    it a formula, and a name someone typed must never run in the reader's spreadsheet."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            value = WriteOnlyCell(ws, value=value)
            value.data_type = "s"
        out.append(value)
    return out


def write_pdf(path: Path, template: str, **context) -> None:
    from weasyprint import CSS, HTML

    html = render_template(template, **context)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(str(path), stylesheets=[CSS(string=PDF_CSS)])
