"""Mixed traffic against gunicorn on the demo tenant: browsing, API sign-ups, QR check-ins
(form login, fresh codes), and dashboards (a volunteer's, the auditor's), with a private
Redis and a real ``flask worker``. Several concurrency levels; prints requests/s and p95
per level and per kind, the best throughput whose overall p95 stays within 200 ms, and a
bare Flask hello served the same way for scale.

    python bench/mixed_load.py [--levels 1,2,4,16,32] [--seconds 8] [--workers 4] [--threads 5]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._live import Codes, Session, login_cookies, private_redis, seed, worker  # noqa: E402
from bench.common import Client, gunicorn, percentile, throwaway_database  # noqa: E402

CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
KINDS = [("search", 20), ("project", 20), ("signup", 20), ("checkin", 20), ("me", 10),
         ("oversight", 10)]


class Run:
    def __init__(self, port: int, data: dict, codes: Codes, checkers: Queue):
        self.port, self.data, self.codes, self.checkers = port, data, codes, checkers
        self.tokens = iter(data["tokens"])
        self.lock = threading.Lock()
        self.samples: list[tuple[str, int, float]] = []

    def next_token(self) -> str | None:
        with self.lock:
            return next(self.tokens, None)

    def thread(self, stop_at: float, seed_: int) -> None:
        rng = random.Random(seed_)
        client = Client(self.port)
        auditor = Session(self.port)
        auditor.cookies = dict(self.data["auditor_cookies"])
        kinds, weights = zip(*KINDS, strict=True)
        local: list[tuple[str, int, float]] = []

        def timed(kind: str, fn) -> tuple[int, bytes]:
            started = time.perf_counter()
            try:
                status, body = fn()
            except OSError:
                status, body = 0, b""
            local.append((kind, status, time.perf_counter() - started))
            return status, body

        search = "/t/demo/projects?q=" + quote("助老")
        project = f"/t/demo/projects/{self.data['project_id']}"
        signup = f"/api/v1/t/demo/shifts/{self.data['later_id']}/signup"
        check = f"/t/demo/service/shifts/{self.data['ongoing_id']}/check?t="
        while time.perf_counter() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            if kind == "search":
                timed(kind, lambda: client.request("GET", search))
            elif kind == "project":
                timed(kind, lambda: client.request("GET", project))
            elif kind == "signup":
                token = self.next_token()
                if token is None:
                    continue
                timed(kind, lambda t=token: client.request(
                    "POST", signup, headers={"Authorization": f"Bearer {t}"}))
            elif kind == "oversight":
                timed(kind, lambda: auditor.request("GET", "/t/demo/oversight/"))
            else:
                try:
                    volunteer, state = self.checkers.get(timeout=1)
                except Empty:
                    continue
                if kind == "me":
                    timed(kind, lambda v=volunteer: v.request("GET", "/t/demo/service/me"))
                else:
                    purpose = "in" if state == 0 else "out"
                    path = check + self.codes.make(purpose)
                    status, body = timed("checkin_get", lambda v=volunteer, p=path:
                                         v.request("GET", p))
                    found = CSRF.search(body)
                    if status == 200 and found:
                        form = {"csrf_token": found.group(1).decode(),
                                "t": self.codes.make(purpose)}
                        status, _ = timed("checkin_post", lambda v=volunteer, p=path, f=form:
                                          v.request("POST", p, f))
                        if status == 302:
                            state += 1
                self.checkers.put((volunteer, state))
        with self.lock:
            self.samples.extend(local)


def level(port: int, data: dict, codes: Codes, checkers: Queue, concurrency: int,
          seconds: float) -> list[tuple[str, int, float]]:
    run = Run(port, data, codes, checkers)
    run.tokens = iter(data["tokens"][data["used"]:])
    stop_at = time.perf_counter() + seconds
    threads = [threading.Thread(target=run.thread, args=(stop_at, i)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data["used"] = len(data["tokens"]) - sum(1 for _ in run.tokens)
    return run.samples


def hello(concurrency: int, seconds: float, workers: int, threads: int, url: str) -> float:
    with gunicorn("bench.hello_app:app", url, workers, threads) as port:
        count = [0]
        lock = threading.Lock()

        def loop(stop_at: float) -> None:
            client, n = Client(port), 0
            while time.perf_counter() < stop_at:
                client.request("GET", "/")
                n += 1
            with lock:
                count[0] += n

        stop_at = time.perf_counter() + seconds
        ts = [threading.Thread(target=loop, args=(stop_at,)) for _ in range(concurrency)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return count[0] / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="1,2,4,16,32")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=5)
    parser.add_argument("--checkers", type=int, default=120)
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]

    best = 0.0
    errors_5xx = 0
    with throwaway_database("gz_bench_mixed") as url, private_redis() as (rport, _redis):
        redis_env = {"REDIS_URL": f"redis://127.0.0.1:{rport}/0"}
        data = seed(url, 20_000, args.checkers, **redis_env)
        data["used"] = 0
        codes = Codes(url, data["ongoing_id"])
        with worker(url, **redis_env), gunicorn("app:create_app()", url, args.workers,
                                                args.threads, **redis_env) as port:
            checkers: Queue = Queue()
            logins = list(data["checkers"])

            cookies = login_cookies(url, logins + ["auditor@demo.gongzhi.cn"])
            data["auditor_cookies"] = cookies["auditor@demo.gongzhi.cn"]
            for phone in logins:
                session = Session(port)
                session.cookies = dict(cookies[phone])
                checkers.put((session, 0))
            for concurrency in levels:
                samples = level(port, data, codes, checkers, concurrency, args.seconds)
                wall = args.seconds
                lat = [s[2] for s in samples]
                rps = len(samples) / wall
                p95 = percentile(lat, 95) * 1000
                print(f"c{concurrency}_rps: {rps:.1f} requests/s")
                print(f"c{concurrency}_p95: {p95:.1f} ms")
                by_kind: dict[str, list] = defaultdict(list)
                statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
                for kind, status, took in samples:
                    by_kind[kind].append(took)
                    statuses[kind][status] += 1
                    errors_5xx += status >= 500 or status == 0
                for kind in sorted(by_kind):
                    print(f"c{concurrency}_{kind}_rps: {len(by_kind[kind]) / wall:.1f} requests/s")
                    print(f"c{concurrency}_{kind}_p95: "
                          f"{percentile(by_kind[kind], 95) * 1000:.1f} ms")
                    codes_seen = ",".join(f"{k}x{v}" for k, v in sorted(statuses[kind].items()))
                    print(f"c{concurrency}_{kind}_statuses: {codes_seen} responses")
                if p95 <= 200:
                    best = max(best, rps)
        hello_rps = hello(max(levels), args.seconds, args.workers, args.threads, url)
    print(f"errors_5xx_or_dropped: {errors_5xx} requests")
    print(f"mixed_rps_at_p95_le_200ms: {best:.1f} requests/s")
    print(f"hello_rps: {hello_rps:.1f} requests/s")


if __name__ == "__main__":
    main()
