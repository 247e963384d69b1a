"""What the benchmarks share: a throwaway PostgreSQL database migrated to head, a
gunicorn server, a simple HTTP load loop and percentile figures."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def empty_database(prefix: str = "gz_bench") -> Iterator[str]:
    """A fresh, empty PostgreSQL database; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield str(sa.engine.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database, migrated to head; dropped afterwards."""
    with empty_database(prefix) as url:
        subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, check=True,
                       env=env(url), capture_output=True)
        yield url


def env(database_url: str, **extra: str) -> dict:
    out = dict(os.environ)
    out.update({"DATABASE_URL": database_url, "FLASK_APP": "app:create_app",
                "SECRET_KEY": "bench-secret", "REDIS_URL": "", "LOG_LEVEL": "WARNING",
                "INSTANCE_PATH": str(ROOT / "bench" / "out" / "instance")})
    out.update(extra)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` and its children: on a shared machine, what
    a run cost itself."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    procs = [pid] + [c.pid for c in psutil.Process(pid).children(recursive=True)]
    return pids_cpu_seconds(procs)


def backend_pids(database_url: str) -> list[int]:
    """The PostgreSQL server processes serving ``database_url`` right now."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        pids = conn.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).scalars().all()
    engine.dispose()
    return list(pids)


def pids_cpu_seconds(pids: list[int]) -> float:
    try:
        import psutil
    except ImportError:
        return float("nan")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def load_average() -> float:
    return os.getloadavg()[0]


@contextlib.contextmanager
def gunicorn(target: str, database_url: str, workers: int, threads: int,
             cwd: Path = ROOT, worker_class: str = "gthread", **extra_env: str) -> Iterator[int]:
    """Serve ``target`` (e.g. ``app:create_app()``) with gunicorn; yields the port
    (``gunicorn.pid`` holds the master's pid meanwhile). ``worker_class`` "sync" serves one
    request at a time per worker process (``threads`` is then ignored)."""
    port = free_port()
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn_bin, "-w", str(workers), "--threads", str(threads), "-k", worker_class,
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--keep-alive", "30", target],
        cwd=cwd, env=env(database_url, **extra_env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    gunicorn.pid = proc.pid
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(latencies: list[float]) -> tuple[float, float]:
    return statistics.median(latencies) * 1000, percentile(latencies, 95) * 1000


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
