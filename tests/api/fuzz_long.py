"""``make fuzz``: explore the whole API at random for a while, one role at a time.

Not part of ``make test`` (pytest collects ``test_*.py`` only). The same checks as
``test_fuzz.py``, with many more examples and a random seed, printed so a run can be
replayed (``make fuzz FUZZ_SEED=…``). Each failure is shrunk to a simple request and
written, as a curl line with its response, to ``FUZZ_REPORT`` as soon as it is found.

Settings (environment): ``FUZZ_MINUTES`` (default 10), ``FUZZ_SEED`` (default random),
``FUZZ_EXAMPLES`` per operation and role in each round (default 15), ``FUZZ_REPORT``
(default ``fuzz-report.txt``), ``FUZZ_ONLY`` (run only operations whose label contains it).
"""

from __future__ import annotations

import os
import random
import time
from datetime import datetime
from pathlib import Path

from tests.api.fuzzing import ROLES, Finding, api_operations, fuzz, role_headers
from tests.settings import BACKEND

MINUTES = float(os.environ.get("FUZZ_MINUTES") or 10)
SEED = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(2**32))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 15)
REPORT = Path(os.environ.get("FUZZ_REPORT") or "fuzz-report.txt")
ONLY = os.environ.get("FUZZ_ONLY", "")


class Report:
    """The report file, written as findings come, so an interrupted run still leaves one."""

    def __init__(self, path: Path) -> None:
        self.path, self.findings, self.kinds = path, [], set()
        self._write(f"make fuzz on {BACKEND}, started {datetime.now():%Y-%m-%d %H:%M}, "
                    f"{MINUTES:g} minutes, FUZZ_SEED={SEED}\n", "w")

    def _write(self, text: str, mode: str = "a") -> None:
        with self.path.open(mode, encoding="utf-8") as out:
            out.write(text)

    def add(self, finding: Finding) -> None:
        if finding.kind in self.kinds:
            return
        self.kinds.add(finding.kind)
        self.findings.append(finding)
        self._write(f"\n[{len(self.findings)}] {finding}\n")
        print(f"\n[{len(self.findings)}] {finding}", flush=True)

    def close(self, summary: str) -> None:
        self._write(f"\n{summary}\n")


def test_explore_the_api_at_random_as_each_role(app, db, world):
    print(f"\nmake fuzz on {BACKEND}: FUZZ_SEED={SEED}, {MINUTES:g} minutes, report in {REPORT}",
          flush=True)
    headers = role_headers(world)
    operations = [op for op in api_operations(app) if ONLY in op.label]
    assert operations, f"no operation's label contains {ONLY!r}"
    # Read before the blocks: the test's own session must not begin inside one of them.
    slug = world.a.tenant.slug
    started = time.monotonic()  # the minutes are spent exploring, not setting up
    until = started + MINUTES * 60
    report, seeds, runs, rounds = Report(REPORT), random.Random(SEED), 0, 0
    explored = dict.fromkeys(ROLES, 0)
    connection = db.engines[None]  # the test's connection: each block starts from the world
    # Each round takes every (role, operation) pair once, in an order drawn from the seed: a
    # run cut short by its minutes has still explored every role, not only the first few.
    pairs = [(role, operation) for role in ROLES for operation in operations]
    while time.monotonic() < until:
        seeds.shuffle(pairs)
        for role, operation in pairs:
            if time.monotonic() >= until:
                break
            block = connection.begin_nested()
            try:
                for finding in fuzz(app, operation, {role: headers[role]},
                                    slug, examples=EXAMPLES,
                                    seed=seeds.randrange(2**32), until=until):
                    report.add(finding)
            finally:
                block.rollback()
            runs += 1
            explored[role] += 1
            if runs % 100 == 0:
                print(f"round {rounds + 1}: {runs} runs, {len(report.findings)} finding(s), "
                      f"{(time.monotonic() - started) / 60:.1f} min", flush=True)
        rounds += 1
    per_role = ", ".join(f"{role} {n}" for role, n in explored.items())
    summary = (f"{len(report.findings)} finding(s) in {runs} runs of {EXAMPLES} examples "
               f"(operation × role, {len(operations)} operations; runs per role: {per_role}), "
               f"FUZZ_SEED={SEED}")
    report.close(summary)
    print(summary)
    assert not report.findings, f"{summary}: see {REPORT}"
