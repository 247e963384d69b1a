"""Masking of personal data (个人信息保护法): ID numbers and phone numbers.

Shown masked everywhere (``110************23X``, ``138****5678``), never in URLs or logs.
"""

from __future__ import annotations

import re

_ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{5})((?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3})([0-9Xx])(?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")


def mask_id_number(value: str | None) -> str:
    """``110101199003071234`` → ``110************234``: first 3 and last 3 kept."""
    if not value:
        return ""
    value = value.strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    value = value.strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(name: str | None) -> str:
    """``张伟`` → ``张*``: the surname and one star per remaining character."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return value or ""
    name, _, domain = value.partition("@")
    return (name[:1] + "***") + "@" + domain


def scrub(text: str) -> str:
    """Mask any ID or mobile number found in free text (used on log lines)."""
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
