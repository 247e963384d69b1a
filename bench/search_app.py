"""The app as the search benchmark serves it: ``MARKETPLACE_CACHE_SECONDS`` from the
environment (0 = every request computes its results and renders its page)."""

import os

from app import create_app

app = create_app({"MARKETPLACE_CACHE_SECONDS": float(os.environ.get("MARKETPLACE_CACHE_SECONDS", "30"))})
