"""Asking before acting (二次确认): an action that moves money or cannot be undone says what
will happen, in plain words, and is done only once the person has said yes.

Each such action has a name and a *consequence*: a button label and a sentence about this
object, registered by its domain's ``consequences.py`` with ``@consequence``. The page's
button (``confirm_button`` in ``templates/_confirm.html``) carries the sentence;
``static/js/app.js`` shows it in a dialog and, on yes, posts the form with ``confirmed=yes``.
The view calls ``ask(name, obj)`` after loading the object and checking permission: without
the yes (no script, an old page, a hand-made request) nothing is done and the answer is a
page that states the same consequence, with a button that posts the same form again with
the yes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, render_template, request

FIELD = "confirmed"
YES = "yes"


@dataclass(frozen=True)
class Consequence:
    label: Any  # the button's words (lazy text)
    sentence: Callable[[Any], str]  # what will happen to this object


_registry: dict[str, Consequence] = {}


def consequence(name: str, label) -> Callable:
    """Register ``sentence(obj) -> str`` as what action ``name`` does to ``obj``."""
    def register(sentence: Callable[[Any], str]) -> Callable[[Any], str]:
        if name in _registry:
            raise ValueError(f"consequence {name!r} is registered twice")
        _registry[name] = Consequence(label, sentence)
        return sentence
    return register


def describe(name: str, obj: Any) -> str:
    return str(_registry[name].sentence(obj))


def label(name: str) -> str:
    return str(_registry[name].label)


def given() -> bool:
    return request.form.get(FIELD) == YES


def ask(name: str, obj: Any, back: str):
    """``None`` when this request carries the yes; otherwise the page to answer with, which
    asks (and nothing has been done). ``back`` is where "no" leads."""
    if given():
        return None
    fields = [(key, value) for key in request.form if key not in (FIELD, "csrf_token")
              for value in request.form.getlist(key)]
    return render_template("confirm.html", sentence=describe(name, obj), label=label(name),
                           action=request.path, fields=fields, back=back)


def init_app(app: Flask) -> None:
    from app import domain_modules

    for module in domain_modules("consequences"):
        importlib.import_module(module)
    app.jinja_env.globals.update(consequence=describe, consequence_label=label)
