"""Jinja filters and globals: masking, local time, money, navigation, permissions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

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


#: A picture for each service category (static/img/categories/), so lists of services are
#: not text alone; a category a tenant added gets the general one.
CATEGORY_ICONS = {"助老服务": "elder", "助残服务": "access", "儿童关爱": "child", "社区教育": "book",
                  "文体活动": "music", "环境保护": "leaf", "法律咨询": "law", "心理关怀": "heart",
                  "邻里互助": "hands"}


def category_picture(category: str | None, kind: str = "categories") -> str:
    """The static path of ``category``'s picture: its small icon (``categories``) or its
    wide drawing for a project without a cover photo (``covers``)."""
    return f"img/{kind}/{CATEGORY_ICONS.get(category or '', 'community')}.svg"


def category_icon(category: str | None) -> str:
    return category_picture(category)


def excerpt(text: str, size: int = 40) -> str:
    """Free text on one line, at most ``size`` characters, with "…" where it was cut."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= size else flat[:size - 1] + "…"


def colon() -> str:
    """The colon after a label: full-width in Chinese (标签：值), "label: value" in English."""
    return ": " if str(get_locale()).startswith("en") else "："


def _gettext(lookup):
    """Templates' ``_()`` with the catalog of this request found once, not again for every
    string (Flask-Babel's looks up the request, its locale and the catalog each time);
    otherwise as Jinja's "newstyle" gettext: escaped, always formatted with its variables."""

    @pass_context
    def gettext(context, string: str, **variables):
        text = lookup(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def joined(items) -> str:
    """A list as the reader writes one: 甲、乙 in Chinese, "a, b" in English."""
    return (", " if str(get_locale()).startswith("en") else "、").join(str(i) for i in items)


def _figures_of(contract):
    """A contract's money figures for a page (``app.funding.figures``: defined once)."""
    from app.funding.figures import for_contract

    return for_contract(contract)


def _service_of(contract):
    """What a contract's own projects delivered (``app.oversight.service_figures``)."""
    from app.oversight.service_figures import for_contract

    return for_contract(contract.tenant_id, contract.id)


#: A file name under ``static/`` that ``url_for`` would leave as it is.
_PLAIN_FILE = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")


def static_root() -> str:
    """The address of ``static/``, built once per request."""
    root = g.get("gz_static_root")
    if root is None:
        root = g.gz_static_root = url_for("static", filename="")
    return root


#: How many addresses an app keeps (``template_url_for``); past that it starts afresh.
ADDRESSES_KEPT = 4096


def template_url_for(endpoint: str, **values) -> str:
    """``url_for`` for templates: a page names half a dozen files under ``static/`` (styles,
    scripts, icons) and a dozen pages (the menu, sign-in, the language, the pager), each of
    which would otherwise walk the URL map again. An address depends on nothing but the
    endpoint, its values, the district and where the app is mounted: each is built once."""
    if endpoint == "static" and len(values) == 1 and _PLAIN_FILE.fullmatch(values.get("filename") or ""):
        return static_root() + values["filename"]
    if endpoint.startswith(".") or not has_request_context() or any(k[:1] == "_" for k in values):
        return url_for(endpoint, **values)  # relative to the blueprint, or external, or no request
    try:
        # (the types too: True and 1 are equal keys, but not the same address)
        tenant = g.get("tenant")
        key = (endpoint, tenant.slug if tenant is not None else None, request.script_root,
               *sorted((k, type(v), v) for k, v in values.items()))
        kept = current_app.extensions.setdefault("gz_addresses", {})
        found = kept.get(key)
    except TypeError:  # a value that cannot be a key (a list)
        return url_for(endpoint, **values)
    if found is None:
        if len(kept) >= ADDRESSES_KEPT:
            kept.clear()
        found = kept[key] = url_for(endpoint, **values)
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_id=mask_id_number, mask_phone=mask_phone, mask_email=mask_email, mask_name=mask_name,
        localtime=localtime, isodate=isodate, money=money)
    from app.glossary import TERMS, term
    from app.projects.covers import cover_url

    app.jinja_env.globals.update(url_for=template_url_for, can=can, colon=colon, cover_url=cover_url,
                                 category_icon=category_icon, term=term,
                                 glossary=TERMS.__getitem__, figures_of=_figures_of,
                                 service_of=_service_of)

    @app.context_processor
    def _globals():
        from app.core.views import large_text
        from app.notifications.services import unread_count

        tenant = g.get("tenant")
        unread = (unread_count(current_user.id, tenant.id if tenant else None)
                  if current_user.is_authenticated else 0)
        return {
            "nav_items": navigation.items(),
            "nav_mine": navigation.my_items(),
            "large_text": large_text(),
            "current_tenant": tenant,
            "languages": current_app.config["LANGUAGES"],
            "current_locale": "en" if str(get_locale()).startswith("en") else "zh_CN",
            "unread_count": unread,
            "request_path": request.full_path.rstrip("?") if request else "/",
            "gettext": _gettext(get_translations().ugettext),
        }

    import importlib

    from app import domain_modules

    for name in domain_modules("nav"):
        importlib.import_module(name)
