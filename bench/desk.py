"""The staff desk's queue page with a real backlog: how long it takes to render, and the
query plans behind it.

    .venv/bin/python bench/desk.py                       # 10,000 open inquiries, 10,000 trades
    .venv/bin/python bench/desk.py --inquiries 2000 --trades 2000 --runs 10

Uses its own PostgreSQL database (default `furima_support_bench` on 127.0.0.1, dropped and
created afresh; override with --database-url). Seeds N shipped trades (the sweeper
benchmark's seeding; 10 % with an open operator request, 5 % with an open problem report,
1 % with a failing timer backing off), N open inquiries (received or in progress, verified,
due times spread over two weeks, some tied to trades) plus twice as many answered and closed
ones (which the queue's partial index leaves out), then renders GET /support/ as a staff
member through Django's test client (the whole view, templates included; no HTTP server).

Printed: whether the server runs with fsync (this machine's test server does not; the page
only reads, so fsync does not touch its figure), the median and 95th percentile of the desk
page against the 100 ms target next to two references measured in the same run,
interleaved with it so all see the same load — a one-row desk page (one inquiry: same
middleware, session and base template) and a primary-key query of a trade through the
ORM — with the ratios; the queries per page; and EXPLAIN ANALYZE of every query the desk
page runs, with the indexes each one uses.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweeper import recreate_database, seed_trades, seed_users, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/furima_support_bench"
TARGET_MS = 100.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inquiries", type=int, default=10_000, help="open inquiries")
    parser.add_argument("--trades", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=os.environ.get("FURIMA_BENCH_URL", DEFAULT_URL))
    return parser.parse_args()


WAITING_SQL = """
UPDATE trades_trade SET operator_request_status = 'open',
       operator_request_opened_at = shipped_at + interval '5 days'
WHERE id %% 10 = 0;
UPDATE trades_trade SET problem_reported_at = shipped_at + interval '2 hours',
       problem_text = 'bench: the box was crushed', next_timer_at = NULL, next_timer_name = ''
WHERE id %% 20 = 7;
UPDATE trades_trade SET timer_failures = 1 + id %% 5,
       timer_last_error = 'OperationalError: bench: the mail relay timed out',
       timer_failed_at = %(now)s - interval '1 minute',
       next_timer_at = %(now)s + (id %% 60) * interval '1 minute'
WHERE id %% 100 = 3;
"""

INQUIRIES_SQL = """
INSERT INTO support_inquiry
    (user_id, email, verified_at, trade_id, category, subject, status, assignee_id, language,
     created_at, updated_at, due_at)
SELECT (%(users)s::bigint[])[1 + g %% cardinality(%(users)s::bigint[])], '', %(now)s,
       CASE WHEN g %% 3 = 0 THEN (SELECT min(id) FROM trades_trade) + g %% %(trades)s END,
       (ARRAY['buyer_trouble','seller_trouble','cancel','rating','payout','account','other'])
           [1 + g %% 7],
       'bench inquiry ' || g,
       CASE WHEN g <= %(open)s THEN (ARRAY['received','in_progress'])[1 + g %% 2]
            ELSE (ARRAY['answered','closed'])[1 + g %% 2] END,
       NULL, 'ja', %(now)s - (g %% 1000) * interval '1 minute', %(now)s,
       %(now)s + ((g * 7919) %% 20160) * interval '1 minute' - interval '3 days'
FROM generate_series(1, %(total)s) AS g;
INSERT INTO support_inquirymessage (inquiry_id, sender, author_id, body, at)
SELECT id, 'user', user_id, 'bench: please help', created_at FROM support_inquiry;
"""


def seed_inquiries(open_count: int, trades: int, users: list[int]) -> None:
    from django.db import connection, transaction

    from furima import clock

    params = {
        "users": users,
        "now": clock.now(),
        "open": open_count,
        "total": open_count * 3,
        "trades": trades,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in (WAITING_SQL + INQUIRIES_SQL).split(";"):
            if statement.strip():
                cursor.execute(statement, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(call) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def measure(runs: int) -> dict:
    """The desk page and the two references, interleaved run by run (the machine is shared:
    load that comes and goes hits all three alike). Wall-clock and this process's CPU
    milliseconds (CPU time leaves out the time spent waiting for a core)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from furima.accounts.services import user_create
    from furima.support.models import Inquiry
    from furima.trades.models import Trade

    staff = user_create(username="bench-staff", is_staff=True)
    client = Client()  # HTTPS, as behind the TLS proxy (production settings redirect HTTP)
    client.force_login(staff)
    inquiry = Inquiry.objects.filter(status="received").order_by("id").first()
    trade_ids = iter(list(Trade.objects.values_list("pk", flat=True)[: runs + 10]))

    def desk():
        assert client.get("/support/", secure=True).status_code == 200

    def one_row_page():
        assert client.get(f"/support/inquiries/{inquiry.pk}/", secure=True).status_code == 200

    def pk_query():
        Trade.objects.get(pk=next(trade_ids))

    calls = {"desk": desk, "one-row desk page": one_row_page, "trade by primary key": pk_query}
    for _ in range(3):  # warm: templates, translations, the policy registry
        for call in calls.values():
            call()
    results = {name: ([], []) for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            wall, cpu = _time(call)
            results[name][0].append(wall)
            results[name][1].append(cpu)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/support/", secure=True)
    return {
        "times": results,
        "queries": [q["sql"] for q in queries.captured_queries],
        "size": len(response.content),
    }


def _summary(times: list[float], cpu: list[float]) -> tuple[float, float, str]:
    median = statistics.median(times)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    text = (
        f"median {median:7.2f} ms, p95 {p95:7.2f} ms, min {min(times):7.2f} ms; "
        f"CPU median {statistics.median(cpu):6.2f} ms"
    )
    return median, statistics.median(cpu), text


def server_settings() -> str:
    from django.db import connection

    values = []
    with connection.cursor() as cursor:
        for name in ("fsync", "synchronous_commit", "shared_buffers", "jit"):
            cursor.execute(f"SHOW {name}")
            values.append(f"{name}={cursor.fetchone()[0]}")
    return ", ".join(values)


SCAN = re.compile(r"(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) (\w+)")


def _execution_ms(plan: list[str]) -> float:
    last = next((line for line in plan if line.startswith("Execution Time")), "0 ms")
    return float(re.findall(r"[\d.]+", last)[0])


def explain_page_queries(queries: list[str]) -> None:
    """EXPLAIN ANALYZE of each SELECT the desk page ran (its real SQL, parameters in
    place) and the indexes it used, the fastest of three runs; the session and user lookups
    in one line each."""
    from django.db import connection

    for number, sql in enumerate(queries, 1):
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plans = []
        with connection.cursor() as cursor:
            for _ in range(3):  # the fastest of three: one run may wait for a core
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}")
                plans.append([row[0] for row in cursor.fetchall()])
        plan = min(plans, key=_execution_ms)
        tables = sorted(set(re.findall(r'FROM "(\w+)"', sql)))
        indexes = sorted(set(SCAN.findall("\n".join(plan)))) or ["none"]
        took = next((line for line in plan if line.startswith("Execution Time")), "")
        line = f"\n-- query {number}: {', '.join(tables)}; {took}; indexes: {', '.join(indexes)}"
        print(line)
        if set(tables) <= {"django_session", "accounts_user"}:
            continue
        print(f"   {sql[:240]}{' …' if len(sql) > 240 else ''}")
        print("\n".join(f"   | {row}" for row in plan))


def main() -> None:
    args = parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} CPUs; {server_settings()}")
    started = time.perf_counter()
    users = seed_users()
    seed_trades(args.trades, due=False, users=users)  # with their events and postings
    seed_inquiries(args.inquiries, args.trades, users[0] + users[1])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE status IN ('received', 'in_progress')), count(*) "
            "FROM support_inquiry"
        )
        open_now, total = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE operator_request_status = 'open'), "
            "count(*) FILTER (WHERE problem_reported_at IS NOT NULL), "
            "count(*) FILTER (WHERE timer_failures > 0) FROM trades_trade"
        )
        trades, requests, problems, failing = cursor.fetchone()
    print(
        f"seeded {trades:,} trades ({requests:,} open operator requests, {problems:,} problem "
        f"reports, {failing:,} failing timers), {open_now:,} open inquiries ({total:,} in all) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    load_before = os.getloadavg()[0]
    results = measure(args.runs)
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after the runs")
    times = results["times"]
    desk_ms, desk_cpu, text = _summary(*times["desk"])
    print(f"GET /support/ ({args.runs} runs, interleaved with the references)")
    print(f"  {'desk page':22} {text}")
    for name in ("one-row desk page", "trade by primary key"):
        ms, cpu, text = _summary(*times[name])
        print(f"  {name:22} {text}")
        print(f"  {'':22} desk / {name}: {desk_ms / ms:.1f}x wall, {desk_cpu / cpu:.1f}x CPU")
    print(f"desk page: {len(results['queries'])} queries, {results['size'] / 1024:.0f} KiB")
    verdict = "met" if desk_ms <= TARGET_MS else "NOT met"
    print(f"target: median <= {TARGET_MS:.0f} ms on PostgreSQL: {verdict}")
    explain_page_queries(results["queries"])


if __name__ == "__main__":
    main()
