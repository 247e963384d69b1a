"""Gongzhi (共治): community service marketplace and purchased-service books.

``create_app`` is the only way to build the app; nothing connects at import time.
gunicorn: ``gunicorn 'app:create_app()'``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from app import config as config_module

#: Domain packages, discovered: each may have ``models.py``, ``views.py`` (``bp``),
#: ``api.py`` (``blueprints()``), ``permissions.py`` (``@rule``s), ``cli.py`` (``commands()``),
#: ``nav.py``, ``inbox.py`` (what its inbox messages are about) and ``demo.py``; nothing else
#: to register.
DOMAIN_ROOT = Path(__file__).parent


def domain_modules(kind: str) -> list[str]:
    return [f"app.{p.parent.name}.{kind}" for p in sorted(DOMAIN_ROOT.glob(f"*/{kind}.py"))]


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config_module.INSTANCE),
                static_folder=str(config_module.ROOT / "static"))
    app.config.update(config_module.DEFAULTS)
    app.config.update(config_module.from_env())
    if config:
        app.config.update(config)
    if app.config["JOBS_INLINE"] is None:
        app.config["JOBS_INLINE"] = not app.config["REDIS_URL"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(_translation_dirs())

    from app import logging_setup

    logging_setup.configure(app)
    _init_extensions(app)
    _register(app)
    return app


def _translation_dirs() -> list[str]:
    """Each domain package keeps its own catalog; Flask-Babel merges them."""
    root = Path(__file__).parent
    return sorted(str(p) for p in root.glob("*/translations") if p.is_dir())


def _init_extensions(app: Flask) -> None:
    from app import db_events
    from app.extensions import api, babel, csrf, db, limiter, login_manager, migrate, request_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=request_locale, timezone_selector=lambda: "Asia/Shanghai")
    api.init_app(app)
    import marshmallow as ma

    # Amounts travel as exact decimal strings ("12.50"), never as JSON floats.
    api.register_field(ma.fields.Decimal, "string", "decimal")
    with app.app_context():
        db_events.install(db.engine)


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs: ids beyond a 32-bit key cannot exist, so they are 404, not a DB error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _register(app: Flask) -> None:
    import importlib

    app.url_map.converters["int"] = IdConverter

    from app import cli, confirm, errors, headers, inbound, intents, templating
    from app.extensions import api
    from app.tenancy import scoping

    for name in domain_modules("models") + domain_modules("permissions") + domain_modules("inbox"):
        importlib.import_module(name)
    for name in domain_modules("views"):
        app.register_blueprint(importlib.import_module(name).bp)
    for name in domain_modules("api"):
        for blp in importlib.import_module(name).blueprints():
            api.register_blueprint(blp)
    scoping.init_app(app)
    from app.audit import capture

    capture.install()
    from app.api import init_app as init_api
    from app.auth import credentials

    credentials.init_app(app)
    init_api(app)
    errors.init_app(app)
    inbound.init_app(app)
    headers.init_app(app)
    templating.init_app(app)
    confirm.init_app(app)
    intents.init_app(app)
    cli.init_app(app)
    from workers import queue

    queue.init_app(app)
    logging.getLogger(__name__).debug("app created")
