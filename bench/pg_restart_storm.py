"""PostgreSQL restarts in the middle of a sign-up storm: a private cluster (its own data
directory and port), one shift of capacity 100, ~600 concurrent API sign-ups through
gunicorn, and ``pg_ctl restart -m fast`` once about a third have answered. Afterwards the
shift must hold at most 100 confirmed places; errors are counted by status, and every 5xx
must be the friendly error (JSON error shape from the API, or the 出错 page). The cluster is
stopped and deleted at the end.

    python bench/pg_restart_storm.py [--volunteers 600] [--capacity 100]
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._live import flask  # noqa: E402
from bench.common import Client, free_port  # noqa: E402
from bench.redis_outage import served  # noqa: E402
from bench.signup_storm import SLUG, seed  # noqa: E402

BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])


def as_postgres(*cmd: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)


@contextlib.contextmanager
def private_cluster():
    """initdb into a temp dir, start on a free port; yields (url, pg_ctl restart callable)."""
    tmp = tempfile.mkdtemp(prefix="gz_pg_")
    os.chmod(tmp, 0o755)
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    data, port = f"{tmp}/data", free_port()
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
    pg_ctl = [str(BIN / "pg_ctl"), "-D", data, "-l", f"{tmp}/log", "-w", "-o", opts]
    try:
        done = as_postgres(str(BIN / "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                           "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")
        if done.returncode:
            raise RuntimeError(done.stderr)
        done = as_postgres(*pg_ctl, "start")
        if done.returncode:
            raise RuntimeError(done.stderr + done.stdout)
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/storm"
        as_postgres(str(BIN / "createdb"), "-h", tmp, "-p", str(port), "-U", "postgres", "storm")

        def restart() -> tuple[int, float]:
            started = time.perf_counter()
            out = as_postgres(*pg_ctl, "-m", "fast", "restart")
            return out.returncode, time.perf_counter() - started

        yield url, restart
    finally:
        as_postgres(*pg_ctl, "-m", "immediate", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def storm(port: int, shift_id: int, tokens: list[str], restart, after: int) -> dict:
    path = f"/api/v1/t/{SLUG}/shifts/{shift_id}/signup"
    barrier = threading.Barrier(len(tokens) + 1)
    results: list[tuple | None] = [None] * len(tokens)
    answered = threading.Semaphore(0)

    def attempt(i: int, token: str) -> None:
        client = Client(port)
        barrier.wait()
        try:
            status, body = client.request("POST", path,
                                          headers={"Authorization": f"Bearer {token}"})
        except OSError as exc:
            status, body = 0, str(exc).encode()
        results[i] = (status, body)
        answered.release()

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=attempt, args=(i, t)) for i, t in enumerate(tokens)]
    for t in threads:
        t.start()
    barrier.wait()
    for _ in range(after):
        answered.acquire()
    restarted = restart()
    for t in threads:
        t.join()
    return {"results": results, "restart": restarted}


def friendly(body: bytes) -> bool:
    if "出错".encode() in body:
        return True
    with contextlib.suppress(ValueError):
        data = json.loads(body)
        return isinstance(data, dict) and {"code", "message"} <= data.keys()
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=600)
    parser.add_argument("--capacity", type=int, default=100)
    args = parser.parse_args()
    with private_cluster() as (url, restart), tempfile.TemporaryDirectory() as tmp:
        done = flask(url, "db", "upgrade")
        if done.returncode:
            raise RuntimeError(done.stderr[-2000:])
        shift_id, tokens = seed(url, args.volunteers, args.capacity)
        with served(url, Path(tmp) / "gunicorn.log") as port:
            outcome = storm(port, shift_id, tokens, restart, args.volunteers // 3)
            # After the storm, the server must serve again without a restart of its own.
            status_after, _ = Client(port).request("GET", f"/t/{SLUG}/projects")
        log = (Path(tmp) / "gunicorn.log").read_text(errors="replace").splitlines()
        kinds = Counter(line.strip()[:160] for line in log
                        if line[:1] not in (" ", "\t") and "Error" in line)
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.connect() as conn:
            rows = Counter(dict(conn.execute(sa.text(
                "SELECT status, count(*) FROM shift_signup WHERE shift_id = :s GROUP BY status"),
                {"s": shift_id}).all()))
            count = conn.execute(sa.text("SELECT confirmed_count FROM shift WHERE id = :s"),
                                 {"s": shift_id}).scalar()
        engine.dispose()
    results = outcome["results"]
    statuses = Counter(r[0] for r in results)
    bodies = [json.loads(r[1]) if r[0] == 201 else {} for r in results]
    unfriendly = sum(1 for s, b in results if s >= 500 and not friendly(b))
    print(f"attempts: {len(results)} requests")
    print(f"pg_restart_exit: {outcome['restart'][0]} code")
    print(f"pg_restart_time: {outcome['restart'][1]:.2f} s")
    print(f"confirmed: {rows.get('confirmed', 0)} signups")
    print(f"waitlisted: {rows.get('waitlisted', 0)} signups")
    print(f"shift_confirmed_count: {count} places")
    print(f"confirmed_answers: {sum(b.get('status') == 'confirmed' for b in bodies)} responses")
    print(f"waitlisted_answers: {sum(b.get('status') == 'waitlisted' for b in bodies)} responses")
    print(f"confirmed_le_capacity: {'yes' if rows.get('confirmed', 0) <= args.capacity else 'no'}"
          " check")
    print(f"count_matches_rows: {'yes' if count == rows.get('confirmed', 0) else 'no'} check")
    for status, n in sorted(statuses.items()):
        print(f"status_{status}: {n} responses")
    print(f"unfriendly_5xx: {unfriendly} responses")
    print(f"served_after_restart: {status_after} status")
    for line, n in kinds.most_common(4):
        print(f"# server log x{n}: {line}")
    for s, b in [r for r in results if r[0] >= 500 and not friendly(r[1])][:2]:
        print("# unfriendly body:", s, b[:300])


if __name__ == "__main__":
    main()
