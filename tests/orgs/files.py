"""Small real files for upload tests."""

from __future__ import annotations

import io

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png(size: tuple[int, int] = (4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes, name: str):
    return io.BytesIO(data), name
