"""``flask demo load`` builds the demo district; running it again changes nothing.

The demo is loaded twice once for every test that asks for ``demo`` (``tests/conftest.py``):
each domain's own demo checks read it; this one holds every table to the first run."""

from __future__ import annotations


def test_loading_the_demo_again_changes_no_table(demo):
    assert demo.second_exit == 0, demo.second
    assert demo.second.startswith("demo tenant ready")
    changed = {table: (count, demo.counts_again[table]) for table, count in demo.counts.items()
               if demo.counts_again[table] != count}
    assert changed == {}


def test_the_demo_has_its_people(demo):
    assert demo.counts["tenant"] == 1
    assert demo.counts["user"] >= 24
    assert demo.counts["organization"] >= 3 and demo.counts["project"] >= 4
