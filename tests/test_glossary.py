"""One word per concept: the zh catalogs give each glossary term its word and never one of
the synonyms the glossary lists for it; docs/glossary.md is written from the glossary."""

from __future__ import annotations

from pathlib import Path

from app.glossary import GLOSSARY, markdown
from app.i18n import APP, load

ROOT = Path(__file__).resolve().parent.parent


def zh_messages() -> list[tuple[str, str, str]]:
    """(catalog, msgid, msgstr) of every translated message of every zh catalog."""
    found = []
    for path in sorted(APP.glob("*/translations/zh/LC_MESSAGES/messages.po")):
        for message in load(path, "zh"):
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found += [(path.parts[-5], ids[0], s) for s in strings]
    return found


def test_each_term_reads_as_the_glossary_says():
    translated = {}
    for _, msgid, msgstr in zh_messages():
        translated.setdefault(msgid, set()).add(msgstr)
    wrong = {t.en: translated.get(t.en) for t in GLOSSARY if translated.get(t.en) != {t.zh}}
    assert wrong == {}, "terms translated otherwise than the glossary says"


def test_no_catalog_uses_a_synonym_the_glossary_rules_out():
    clashes = []
    for catalog, msgid, msgstr in zh_messages():
        for t in GLOSSARY:
            rest = msgstr.replace(t.zh, "")  # 居务监督员 contains 监督员: the term itself is fine
            clashes += [(catalog, msgid, msgstr, word) for word in t.avoid if word in rest]
    assert clashes == []


def test_the_glossary_page_is_written_from_the_glossary():
    page = ROOT / "docs" / "glossary.md"
    assert page.read_text(encoding="utf-8") == markdown() + "\n", \
        "docs/glossary.md is stale: run `flask i18n glossary`"
