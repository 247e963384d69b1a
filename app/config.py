"""Configuration from the environment, with safe defaults for the embedded mode.

Embedded mode (nothing set): an SQLite file under ``instance/``, jobs run inline,
rate limits kept in memory, files in folders under ``instance/``. Production sets
``DATABASE_URL``, ``REDIS_URL`` and ``SECRET_KEY``; several web machines also set
``STORAGE=database`` so that files live in the shared database (``app.storage``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _secret_key() -> str:
    """The env key, else one persisted in instance/ so sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def from_env() -> dict:
    """Build the config mapping from environment variables."""
    redis_url = os.environ.get("REDIS_URL") or None
    lifetime = int(float(os.environ.get("SESSION_LIFETIME_HOURS", "8")) * 3600)
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE / 'gongzhi.sqlite'}"
        ),
        "REDIS_URL": redis_url,
        "RQ_QUEUE_PREFIX": os.environ.get("RQ_QUEUE_PREFIX", ""),
        "LEDGER_DIR": os.environ.get("LEDGER_DIR", str(INSTANCE / "ledger")),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(INSTANCE / "uploads")),
        "EXPORT_DIR": os.environ.get("EXPORT_DIR", str(INSTANCE / "exports")),
        # Where uploads, exports and the published journal are kept: "local" (the folders
        # above) or "database" (shared by every machine on the same database).
        "STORAGE": os.environ.get("STORAGE", "local"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") == "1",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@gongzhi.local"),
        # Text messages: "aliyun" sends through Alibaba Cloud SMS; anything else only logs.
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "log"),
        "SMS_ACCESS_KEY_ID": os.environ.get("SMS_ACCESS_KEY_ID", ""),
        "SMS_ACCESS_KEY_SECRET": os.environ.get("SMS_ACCESS_KEY_SECRET", ""),
        "SMS_SIGN_NAME": os.environ.get("SMS_SIGN_NAME", ""),
        "SMS_TEMPLATE_CODE": os.environ.get("SMS_TEMPLATE_CODE", ""),
        # The site's address as people open it, for links in text messages and emails.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        # At most this many text messages to one person in an hour; the rest stay in the inbox.
        "SMS_PER_HOUR": int(os.environ.get("SMS_PER_HOUR", "5")),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Sign-in attempts, per address and per account (Flask-Limiter syntax).
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        # A sign-in ends after this many minutes unused, and after the lifetime in any case.
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "PERMANENT_SESSION_LIFETIME": lifetime,
        "WTF_CSRF_TIME_LIMIT": lifetime,
    }


DEFAULTS: dict = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_I18N_ENABLED": True,
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": {"zh_CN": "中文", "en": "English"},
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "MAX_JSON_BYTES": 1024 * 1024,  # a JSON body (the API's bodies are a few kilobytes)
    "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_KEY_PREFIX": "gz",
    "JOBS_INLINE": None,  # None: inline exactly when REDIS_URL is unset
    "TENANT_CACHE_SECONDS": 5,  # how long another process may serve a changed tenant row
    "API_TITLE": "Gongzhi API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "PROPAGATE_EXCEPTIONS": None,
}
