"""The staff desk's queue page with a real backlog: how long it takes to render, and the
query plans behind it.

    .venv/bin/python bench/desk.py                       # 10,000 open inquiries, 10,000 trades
    .venv/bin/python bench/desk.py --inquiries 2000 --trades 2000 --runs 10

Uses its own PostgreSQL database (default `furima_support_bench` on 127.0.0.1, dropped and
created afresh; override with --database-url). Seeds N shipped trades (the sweeper
benchmark's seeding; 10 % with an open operator request, 5 % with an open problem report),
N open inquiries (received or in progress, verified, due times spread over two weeks, some
tied to trades) plus twice as many answered and closed ones (which the queue's partial index
leaves out), then renders GET /support/ as a staff member through Django's test client (the
whole view, templates included; no HTTP server) and prints the median and 95th percentile
against the 100 ms target, the queries per page, and EXPLAIN ANALYZE of each queue query.
"""

from __future__ import annotations

import argparse
import os
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


def render_times(runs: int) -> tuple[list[float], list[float], int, int]:
    """Wall-clock and this process's CPU milliseconds per page (CPU time is the steadier
    figure on a shared, loaded machine: it leaves out the time spent waiting for a core)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from furima.accounts.services import user_create

    staff = user_create(username="bench-staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    for _ in range(3):  # warm: templates, translations, the policy registry
        assert client.get("/support/").status_code == 200
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get("/support/")
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/support/")
    return times, cpu, len(queries), len(response.content)


def explain_queues() -> None:
    from django.db import connection

    from furima import clock
    from furima.support.desk import QUEUE_SIZE
    from furima.support.selectors import (
        inquiry_queue,
        operator_request_queue,
        problem_report_queue,
    )

    now = clock.now()
    queries = {
        "inquiries by SLA": inquiry_queue()[:QUEUE_SIZE],
        "overdue inquiries (count)": inquiry_queue().filter(due_at__lt=now).values("id"),
        "open operator requests (ids)": operator_request_queue().values("id")[:QUEUE_SIZE],
        "open problem reports (ids)": problem_report_queue().values("id")[:QUEUE_SIZE],
    }
    for name, queryset in queries.items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n-- {name}")
        print("\n".join(f"   {line}" for line in plan))


def main() -> None:
    args = parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} CPUs")
    started = time.perf_counter()
    users = seed_users()
    seed_trades(args.trades, due=False, users=users, with_history=False)
    seed_inquiries(args.inquiries, args.trades, users[0] + users[1])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM support_inquiry WHERE status IN ('received', 'in_progress')"
        )
        open_now = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM support_inquiry")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM trades_trade")
        trades = cursor.fetchone()[0]
    print(
        f"seeded {trades:,} trades, {open_now:,} open inquiries ({total:,} in all) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    times, cpu, queries, size = render_times(args.runs)
    median = statistics.median(times)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"GET /support/ ({args.runs} runs): median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"min {min(times):.1f} ms; Python CPU median {statistics.median(cpu):.1f} ms; "
        f"{queries} queries, {size / 1024:.0f} KiB"
    )
    verdict = "met" if median <= TARGET_MS else "NOT met"
    print(f"target: median <= {TARGET_MS:.0f} ms on PostgreSQL: {verdict}")
    explain_queues()


if __name__ == "__main__":
    main()
