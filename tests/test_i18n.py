"""Every user-facing string has its Chinese translation, the same one in every catalog."""

from __future__ import annotations

from app.i18n import inconsistent, untranslated


def test_zh_catalogs_are_complete():
    missing = untranslated()
    assert missing == [], f"untranslated (run `flask i18n extract`, translate, compile): {missing[:20]}"


def test_a_message_reads_the_same_everywhere():
    clashes = inconsistent()
    assert clashes == {}, f"translated differently in two catalogs: {clashes}"
