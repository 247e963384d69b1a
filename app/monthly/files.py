"""A monthly report as files: an .xlsx workbook (openpyxl: Chinese headers, yuan formatted,
the header row frozen) and a PDF (WeasyPrint, Noto Sans CJK SC embedded), both made in memory
from the published snapshot, so every download of a month gives the same figures."""

from __future__ import annotations

import io

from flask import render_template
from flask_babel import gettext as _

from app.glossary import term
from app.monthly import present
from app.monthly.models import MonthlyReport
from app.service.hours import local_date

YUAN = '#,##0.00'


def _cell(ws, row: int, column: int, value, *, money: bool = False, bold: bool = False):
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text someone typed never runs as a formula
    if money:
        cell.number_format = YUAN
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(ws, row: int, names: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    line = Side(style="thin", color="999999")
    for column, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = _cell(ws, row, column, str(name))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF4")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=line)
        ws.column_dimensions[cell.column_letter].width = width


def xlsx(report: MonthlyReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _("Summary")
    ws["A1"] = present.title(report)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = _("%(start)s – %(end)s; published %(day)s; a published report is not changed "
                 "afterwards.", start=report.figures["start"], end=report.figures["end"],
                 day=local_date(report.published_at).isoformat())
    _header(ws, 4, [_("Service"), _("This month"), _("Last month"), _("Change")], [24, 14, 14, 12])
    row = 5
    for line in present.service_lines(report):
        _cell(ws, row, 1, line.label)
        for column, value in ((2, line.value), (3, line.before)):
            _cell(ws, row, column, _number(value))
        _cell(ws, row, 4, line.change)
        row += 1
    row += 1
    _header(ws, row, [_("Money of all contracts"), _("Amount (yuan)")], [24, 14])
    money = [(term(key), fen) for key, fen in present.totals(report).rows()]
    money += [(word, fen) for _k, word, fen in present.month_lines(report.figures["month"])]
    for label, fen in money:
        row += 1
        _cell(ws, row, 1, str(label))
        _cell(ws, row, 2, fen / 100, money=True)
    ws.freeze_panes = "A5"

    sheet = book.create_sheet(_("Contracts"))
    lines = present.contracts(report)
    keys = [key for key, _f in present.totals(report).rows()]
    names = [_("Contract number"), _("Contract"), _("Organization"), _("Term")]
    names += [str(present.MONTH_WORDS[k]) for k, _w, _f in present.month_lines({})]
    names += [term(k) for k in keys]
    _header(sheet, 1, names, [16, 30, 24, 24] + [14] * (len(names) - 4))
    for index, c in enumerate(lines, start=2):
        values = [c.number, c.title, c.org, c.term]
        for column, value in enumerate(values, start=1):
            _cell(sheet, index, column, value)
        amounts = [fen for _k, _w, fen in present.month_lines(c.month)]
        amounts += [fen for _k, fen in c.figures.rows()]
        for column, fen in enumerate(amounts, start=len(values) + 1):
            _cell(sheet, index, column, fen / 100, money=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value):
    """Hours and averages are stored as text ("12.5"); the sheet gets numbers."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def pdf(report: MonthlyReport) -> bytes:
    from weasyprint import CSS, HTML

    from app.exports.writers import PDF_CSS

    html = render_template("monthly/report_pdf.html", report=report, present=present,
                           service=present.service_lines(report),
                           contracts=present.contracts(report), totals=present.totals(report),
                           month=present.month_lines(report.figures["month"]),
                           title=present.title(report))
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
