"""Message catalogs: one per domain package (``app/<domain>/translations``), merged by
Flask-Babel at run time. ``flask i18n extract`` refreshes them from the sources,
``flask i18n compile`` builds the ``.mo`` files (the build runs it), and
``flask i18n check`` fails while any zh_CN message is untranslated.

Source strings are English; zh_CN is the default language and must be complete.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

APP = Path(__file__).resolve().parent
ROOT = APP.parent
STABLE_DATE = datetime(2026, 1, 1, tzinfo=UTC)
LOCALES = ("zh",)  # serves zh_CN (Babel: zh_Hans_CN → zh)
METHODS = [("**/translations/**", "ignore"), ("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}}


def domains() -> dict[str, list[Path]]:
    """Catalog name → the source folders whose strings it holds."""
    found = {p.parent.name: [p.parent] for p in sorted(APP.glob("*/translations"))}
    found.setdefault("core", [APP / "core"])
    found["core"] += [APP / "templates", ROOT / "workers"]
    return found


def _core_module_files() -> list[Path]:
    return [p for p in APP.glob("*.py")]


def extract(name: str, folders: list[Path]) -> Catalog:
    catalog = Catalog(locale=None, project="gongzhi", charset="utf-8")
    for folder in folders:
        if not folder.exists():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, METHODS, keywords=KEYWORDS, options_map=OPTIONS, comment_tags=("NOTE",)):
            catalog.add(message, None, [(str((folder / filename).relative_to(ROOT)), lineno)],
                        auto_comments=comments, context=context)
    if name == "core":
        from babel.messages.extract import extract_from_file

        for path in _core_module_files():
            for lineno, message, comments, context in extract_from_file(
                    "python", str(path), keywords=KEYWORDS):
                catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)],
                            auto_comments=comments, context=context)
    return catalog


def po_path(name: str, locale: str) -> Path:
    return APP / name / "translations" / locale / "LC_MESSAGES" / "messages.po"


def load(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def inconsistent() -> dict[str, set[str]]:
    """Messages translated differently in two catalogs. Flask-Babel merges catalogs into
    one, so only one translation would win: each message must read the same everywhere."""
    seen: dict[str, set[str]] = {}
    for path in sorted(APP.glob("*/translations/*/LC_MESSAGES/messages.po")):
        for message in load(path, path.parts[-3]):
            if message.id and message.string:
                key = message.id if isinstance(message.id, str) else message.id[0]
                seen.setdefault(key, set()).add(str(message.string))
    return {key: values for key, values in seen.items() if len(values) > 1}


def untranslated() -> list[tuple[str, str]]:
    """(catalog, msgid) for every message without a zh_CN translation in its catalog."""
    missing = []
    for name, folders in domains().items():
        template = extract(name, folders)
        for locale in LOCALES:
            catalog = load(po_path(name, locale), locale)
            for message in template:
                if not message.id:
                    continue
                found = catalog.get(message.id, context=message.context)
                strings = found.string if found else None
                if not strings or (isinstance(strings, tuple) and not all(strings)):
                    missing.append((name, message.id if isinstance(message.id, str) else message.id[0]))
    return missing


i18n_cli = AppGroup("i18n", help="Translations.")


@i18n_cli.command("extract")
def extract_cmd():
    """Refresh every catalog from the sources (keeps existing translations)."""
    for name, folders in domains().items():
        template = extract(name, folders)
        for locale in LOCALES:
            path = po_path(name, locale)
            catalog = load(path, locale)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            # Stable headers and no line numbers: catalogs change only when messages do.
            catalog.creation_date = catalog.revision_date = STABLE_DATE
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                write_po(fh, catalog, width=100, sort_output=True, include_lineno=False)
            click.echo(f"{path.relative_to(ROOT)}: {len(catalog)} messages")


@i18n_cli.command("compile")
def compile_cmd():
    """Build the .mo files next to each .po."""
    for path in sorted(APP.glob("*/translations/*/LC_MESSAGES/messages.po")):
        catalog = load(path, path.parts[-3])
        with path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


@i18n_cli.command("check")
def check_cmd():
    """Exit non-zero while any message lacks its zh_CN translation."""
    missing = untranslated()
    for name, msgid in missing:
        click.echo(f"{name}: {msgid}")
    if missing:
        raise SystemExit(1)
    click.echo("all messages translated")


@i18n_cli.command("apply")
@click.argument("json_file", type=click.File("r", encoding="utf-8"))
@click.option("--locale", default="zh", type=click.Choice(LOCALES))
@click.option("--force", is_flag=True, help="Replace existing translations too.")
def apply_cmd(json_file, locale: str, force: bool):
    """Fill translations from a JSON object {msgid: translation} into every catalog."""
    import json

    try:
        table = json.load(json_file)
    except ValueError as exc:  # not UTF-8, or not JSON
        raise click.ClickException(f"{json_file.name}: not a JSON file in UTF-8 ({exc})") from exc
    if not isinstance(table, dict):
        raise click.ClickException(f"{json_file.name}: not a JSON object {{msgid: translation}}")
    for path in sorted(APP.glob(f"*/translations/{locale}/LC_MESSAGES/messages.po")):
        catalog = load(path, locale)
        changed = 0
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in table and (force or not message.string) and message.string != table[key]:
                message.string = table[key] if isinstance(message.id, str) else tuple(table[key])
                changed += 1
        if changed:
            with path.open("wb") as fh:
                write_po(fh, catalog, width=100, sort_output=True, include_lineno=False)
            click.echo(f"{path.relative_to(ROOT)}: {changed} filled")


@i18n_cli.command("glossary")
def glossary_cmd():
    """Write docs/glossary.md from app/glossary.py."""
    from app.glossary import markdown

    path = ROOT / "docs" / "glossary.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(markdown() + "\n", encoding="utf-8")
    click.echo(f"{path.relative_to(ROOT)} written")
