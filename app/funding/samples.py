"""Small, real receipt files (a PNG image and a one-page PDF) for the demo tenant and tests."""

from __future__ import annotations

import struct
import zlib


def receipt_png(width: int = 48, height: int = 64, shade: int = 230) -> bytes:
    """A valid greyscale PNG: a pale slip with a few dark 'printed' rows."""
    rows = []
    for y in range(height):
        value = 40 if y % 8 in (3, 4) and 6 < y < height - 6 else shade
        rows.append(b"\x00" + bytes([value]) * width)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def receipt_pdf(lines: list[str] | None = None) -> bytes:
    """A valid one-page PDF with a few lines of ASCII text and a correct cross-reference table."""
    lines = lines or ["RECEIPT", "Gongzhi demo", "Amount: see the expenditure"]
    text = "BT /F1 14 Tf 40 760 Td " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -20 Td" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def milestone_report(name: str = "阶段服务报告.pdf", lines: list[str] | None = None):
    """A milestone evidence file (a one-page PDF report), as ``app.orgs.uploads`` holds it."""
    from app.orgs.uploads import PDF, Upload

    return Upload(data=receipt_pdf(lines or ["MILESTONE REPORT", "Service records attached"]),
                  kind=PDF, filename=name)
