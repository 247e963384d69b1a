"""Flask extensions, created unbound here and bound in ``create_app`` with ``init_app``."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app import jsontext
from app.db import Base

# Binding to a Connection that already has a transaction (tests) joins it with savepoints.
# JSON columns read with a reader that cannot fail on what a row holds.
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"},
                engine_options={"json_deserializer": jsontext.load_stored})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = Api()


def select_locale() -> str:
    """Explicit choice in the session, else the browser's, else zh_CN (also for commands
    and jobs, which have no request)."""
    from flask import current_app, has_request_context

    if not has_request_context():
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"]) if request else None
    return "en" if best == "en" else "zh_CN"


@cache
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


def request_locale() -> Locale:
    """``select_locale()`` as Flask-Babel wants it, parsed once per process rather than on
    every request (parsing looks the locale's data file up on disk)."""
    return _parsed(select_locale())


babel = Babel()
