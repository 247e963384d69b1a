"""Marketplace search under load: 10,000 published projects in one tenant, 20 concurrent
clients on the search page, against a bare Flask "hello" endpoint served the same way
(gunicorn, same workers and threads) in the same run.

Target: the search page reaches at least a quarter of the bare endpoint's requests/s.

    python bench/search_load.py [--projects 10000] [--clients 20] [--seconds 15]
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Client, gunicorn, summary, throwaway_database  # noqa: E402

SLUG = "bench"
QUERIES = ["", "q=助老", "q=社区", "q=儿童", "q=智能手机课堂", "q=法律咨询", "q=垃圾分类", "q=不存在的词",
           "category=儿童关爱", "group=独居老人", "q=助老&group=独居老人", "page=3", "q=陪伴&page=2",
           "category=助老服务&q=理发", "q=时间银行"]


def seed(database_url: str, projects: int) -> dict:
    from app import create_app
    from app.extensions import db
    from bench.seed import seed as make

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        tenant = make(SLUG, projects)
        db.session.commit()
        from sqlalchemy import select

        from app.tenancy.models import Area

        areas = db.session.scalars(select(Area.id).where(Area.tenant_id == tenant.id,
                                                         Area.level == "社区")).all()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return {"areas": list(areas)}


def paths(extra: dict) -> list[str]:
    found = []
    for query in QUERIES + [f"area={a}" for a in extra["areas"][:4]] + [f"q=助老&area={extra['areas'][0]}"]:
        encoded = "&".join(f"{k}={quote(v)}" for k, _, v in (p.partition("=") for p in query.split("&")) if k)
        found.append(f"/t/{SLUG}/projects" + (f"?{encoded}" if encoded else ""))
    return found


def load(port: int, urls: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads, each on its own keep-alive connection, cycling through ``urls``."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients

    def run(i: int) -> None:
        client, rng = Client(port), random.Random(i)
        order = urls[:]
        rng.shuffle(order)
        n = 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status, _ = client.request("GET", order[n % len(order)])
            except OSError:
                status = 0
            latencies[i].append(time.perf_counter() - started)
            errors[i] += status != 200
            n += 1

    for url in urls:  # warm up: every worker process compiles templates, fills pools
        for _ in range(4):
            Client(port).request("GET", url)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    stop = began + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = [x for chunk in latencies for x in chunk]
    p50, p95 = summary(flat)
    return {"rps": len(flat) / elapsed, "p50": p50, "p95": p95, "errors": sum(errors), "n": len(flat)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    with throwaway_database("gz_bench_search") as url:
        t0 = time.perf_counter()
        extra = seed(url, args.projects)
        print(f"seed_projects: {args.projects} projects")
        print(f"seed_time: {time.perf_counter() - t0:.1f} s")
        urls = paths(extra)
        runs = {}
        for name, seconds in (("search", "30"), ("search_uncached", "0")):
            with gunicorn("bench.search_app:app", url, args.workers, args.threads,
                          MARKETPLACE_CACHE_SECONDS=seconds) as port:
                runs[name] = load(port, urls, args.clients, args.seconds)
        with gunicorn("bench.hello_app:app", url, args.workers, args.threads) as port:
            runs["hello"] = load(port, ["/"], args.clients, args.seconds)
    print(f"server: gunicorn gthread {args.workers} workers x {args.threads} threads")
    print(f"clients: {args.clients} concurrent")
    print(f"search_urls: {len(urls)} distinct urls")
    for name, r in runs.items():
        print(f"{name}_requests: {r['n']} requests")
        print(f"{name}_throughput: {r['rps']:.1f} requests/s")
        print(f"{name}_latency_p50: {r['p50']:.1f} ms")
        print(f"{name}_latency_p95: {r['p95']:.1f} ms")
        print(f"{name}_errors: {r['errors']} requests")
    ratio = runs["search"]["rps"] / runs["hello"]["rps"]
    print(f"search_to_hello_ratio: {ratio:.3f} ratio")
    print(f"search_uncached_to_hello_ratio: {runs['search_uncached']['rps'] / runs['hello']['rps']:.3f} ratio")
    print(f"target_quarter_of_hello: {'met' if ratio >= 0.25 else 'missed'} status")


if __name__ == "__main__":
    main()
