"""Jinja filters and globals: masking, local time, money, navigation, permissions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

from app import navigation
from app.money import format_fen
from app.permissions import can
from app.privacy import mask_email, mask_id_number, mask_name, mask_phone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SHANGHAI).strftime(fmt)


def isodate(value: date | None) -> str:
    return value.isoformat() if value else ""


def money(value: int | Decimal | None) -> str:
    """Fen (int) or yuan (Decimal) → ``¥1,234.50``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"¥{value:,.2f}"
    return format_fen(value)


def colon() -> str:
    """The colon after a label: full-width in Chinese (标签：值), "label: value" in English."""
    return ": " if str(get_locale()).startswith("en") else "："


def joined(items) -> str:
    """A list as the reader writes one: 甲、乙 in Chinese, "a, b" in English."""
    return (", " if str(get_locale()).startswith("en") else "、").join(str(i) for i in items)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_id=mask_id_number, mask_phone=mask_phone, mask_email=mask_email, mask_name=mask_name,
        localtime=localtime, isodate=isodate, money=money)
    from app.glossary import term

    app.jinja_env.globals.update(can=can, colon=colon, term=term)

    @app.context_processor
    def _globals():
        from app.notifications.services import unread_count

        unread = unread_count(current_user.id) if current_user.is_authenticated else 0
        return {
            "nav_items": navigation.items(),
            "current_tenant": g.get("tenant"),
            "languages": current_app.config["LANGUAGES"],
            "current_locale": "en" if str(get_locale()).startswith("en") else "zh_CN",
            "unread_count": unread,
            "request_path": request.full_path.rstrip("?") if request else "/",
        }

    import importlib

    from app import domain_modules

    for name in domain_modules("nav"):
        importlib.import_module(name)
