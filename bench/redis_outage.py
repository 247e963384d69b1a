"""Redis dies under load: a private Redis is SIGKILLed while clients sign up (audit seal and
notification jobs) and appropriate funds over the API (ledger events through the SQL
outbox). Pages must keep answering (no 5xx); ledger jobs wait in the outbox, other jobs are
logged as not enqueued. Redis comes back on the same port; ``flask ledger drain`` and a
burst worker empty everything; ``flask ledger verify`` must pass.

    python bench/redis_outage.py [--clients 8] [--seconds 4]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._live import SECRET, flask, seed, start_redis, stop, worker  # noqa: E402
from bench.common import ROOT, Client, env, free_port, percentile, throwaway_database  # noqa: E402


@contextlib.contextmanager
def served(url: str, log: Path, **extra: str):
    """gunicorn with its log in a file (an outage logs tracebacks; a pipe would fill)."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-w", "4", "--threads", "5",
             "-k", "gthread", "-b", f"127.0.0.1:{port}", "--keep-alive", "30",
             "app:create_app()"], cwd=ROOT, env=env(url, **extra), stdout=out, stderr=out)
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                time.sleep(0.1)
            warm = [threading.Thread(target=lambda: [Client(port).request("GET", "/healthz")
                                                     for _ in range(3)]) for _ in range(20)]
            for t in warm:
                t.start()
            for t in warm:
                t.join()
            yield port
        finally:
            stop(proc)


def bureau_token(url: str) -> str:
    from sqlalchemy import select

    from app import create_app
    from app.auth.models import User
    from app.auth.services import issue_api_token
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "REDIS_URL": ""})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "bureau@demo.gongzhi.cn"))
        token = issue_api_token(user, "bench")
        db.session.commit()
        db.engine.dispose()
    return token


def traffic(port: int, data: dict, bureau: str, clients: int, seconds: float,
            phase: str, counts: Counter, bad: list) -> None:
    lock = threading.Lock()
    latencies = counts.setdefault("_latencies", {})
    search = "/t/demo/projects?q=" + quote("助老")
    signup = f"/api/v1/t/demo/shifts/{data['later_id']}/signup"

    def loop(i: int) -> None:
        client, n = Client(port), 0
        stop_at = time.perf_counter() + seconds
        while time.perf_counter() < stop_at:
            n += 1
            started = time.perf_counter()
            if n % 4 == 0:
                kind = "fund"
                status, body = client.request(
                    "POST", "/api/v1/t/demo/funding/funds",
                    json.dumps({"fiscal_year": 2026, "name": f"压测资金{phase}{i}-{n}",
                                "source": "区级财政", "amount": "1000.00"}).encode(),
                    {"Authorization": f"Bearer {bureau}", "Content-Type": "application/json"})
            elif n % 2 == 0:
                with lock:
                    token = data["tokens"].pop() if data["tokens"] else None
                if token is None:
                    continue
                kind = "signup"
                status, body = client.request("POST", signup,
                                              headers={"Authorization": f"Bearer {token}"})
            else:
                kind = "search"
                status, body = client.request("GET", search)
            with lock:
                latencies.setdefault(phase, []).append(time.perf_counter() - started)
                counts[f"{phase}_{kind}_{status}"] += 1
                if status >= 500 and len(bad) < 3:
                    bad.append(body[:300])

    ts = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def pending(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM ledger_outbox WHERE posted_at IS NULL"))
        out = n.scalar()
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4)
    args = parser.parse_args()
    counts: Counter = Counter()
    bad: list = []
    rport = free_port()
    redis = start_redis(rport)
    try:
        with throwaway_database("gz_bench_redis") as url, tempfile.TemporaryDirectory() as tmp:
            extra = {"REDIS_URL": f"redis://127.0.0.1:{rport}/0",
                     "LEDGER_DIR": str(Path(tmp) / "ledger"), "LOG_LEVEL": "WARNING"}
            data = seed(url, 5000, 0, **extra)
            bureau = bureau_token(url)
            log = Path(tmp) / "gunicorn.log"
            with worker(url, **extra) as work, served(url, log, **extra) as port:
                traffic(port, data, bureau, args.clients, args.seconds, "before", counts, bad)
                os.kill(redis.pid, signal.SIGKILL)
                redis.wait()
                traffic(port, data, bureau, args.clients, args.seconds, "outage", counts, bad)
                pending_in_outage = pending(url)
                worker_alive_after_outage = work.poll() is None
                redis = start_redis(rport)
                traffic(port, data, bureau, args.clients, args.seconds, "after", counts, bad)
            logged = log.read_text(errors="replace").count("could not enqueue")
            drain = flask(url, "ledger", "drain", **extra)
            burst = flask(url, "worker", "--burst", **extra)
            seal = flask(url, "audit", "seal", **extra)
            left = pending(url)
            verify = flask(url, "ledger", "verify", **extra)
    finally:
        stop(redis)
    latencies = counts.pop("_latencies")
    for phase in ("before", "outage", "after"):
        lat = latencies.get(phase, [])
        print(f"{phase}_rps: {len(lat) / args.seconds:.1f} requests/s")
        print(f"{phase}_p95: {percentile(lat, 95) * 1000:.1f} ms")
    for key in sorted(counts):
        print(f"{key}: {counts[key]} responses")
    fives = sum(v for k, v in counts.items() if k.rsplit("_", 1)[1].startswith("5"))
    print(f"responses_5xx: {fives} responses")
    print(f"jobs_logged_not_enqueued: {logged} log lines")
    print(f"outbox_pending_during_outage: {pending_in_outage} events")
    print(f"worker_alive_after_outage: {'yes' if worker_alive_after_outage else 'no'} check")
    print(f"ledger_drain_exit: {drain.returncode} code")
    print(f"burst_worker_exit: {burst.returncode} code")
    print(f"audit_seal_exit: {seal.returncode} code")
    print(f"outbox_pending_after_drain: {left} events")
    print(f"ledger_verify_exit: {verify.returncode} code")
    for body in bad:
        print("# 5xx body:", body)
    if drain.returncode or verify.returncode:
        print("#", drain.stdout[-500:], drain.stderr[-500:], verify.stdout[-500:],
              verify.stderr[-800:])


if __name__ == "__main__":
    main()
