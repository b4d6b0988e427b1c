"""How fast the deadline worker applies due timers, and what one sweep query costs.

    .venv/bin/python bench/sweeper.py                    # 200,000 trades, half of them due
    .venv/bin/python bench/sweeper.py --trades 20000     # a quick run

Uses its own PostgreSQL database (default `furima_bench` on 127.0.0.1, dropped and created
afresh; override with --database-url). Steps:

1. Seed N shipped trades the way the services would have left them (purchase and shipping
   events, the purchase posting into escrow), half of them due for the automatic receipt
   evaluation (each due trade has exactly one timer left: the evaluation, which writes an
   event, a rating, a release posting with three entries and the trade row).
2. Apply the due half with one worker process, then a fresh due half with two worker
   processes side by side; report timers applied per second (wall clock, first claim to
   last commit). The workers run the real `timers_apply_due` in batches, exactly as
   `furima worker` does.
3. Time the sweep's claim query (one batch, FOR UPDATE SKIP LOCKED, rolled back), then add
   10× as many non-due trades and time it again: it must not grow (the partial index on
   `next_timer_at` only holds trades with a timer, and the query reads it in order).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/furima_bench"
USERS = 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trades", type=int, default=200_000, help="N (half of them due)")
    parser.add_argument("--batch-size", type=int, default=500, help="as the worker (default 500)")
    parser.add_argument("--database-url", default=os.environ.get("FURIMA_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--query-runs", type=int, default=200)
    parser.add_argument(
        "--check", action="store_true", help="check the ledger invariants afterwards (slow)"
    )
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    conninfo = url.replace("postgres://", "postgresql://", 1)
    name = conninfo_to_dict(conninfo)["dbname"]
    with psycopg.connect(make_conninfo(conninfo, dbname="postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["FURIMA_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "furima.settings")
    os.environ.setdefault("FURIMA_LOG_LEVEL", "WARNING")
    os.environ.setdefault("FURIMA_SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# ---------------------------------------------------------------------------- seeding


def seed_users() -> tuple[list[int], list[int]]:
    from furima.accounts.models import User
    from furima.ledger.services import accounts_get_or_create

    User.objects.bulk_create(
        [User(username=f"bench{i}", password="!") for i in range(USERS)], batch_size=1000
    )
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    sellers, buyers = ids[: USERS // 2], ids[USERS // 2 :]
    accounts_get_or_create(
        keys={("buyer_payments", b) for b in buyers} | {("escrow", None), ("platform_fees", None)}
    )
    return sellers, buyers


SEED_SQL = """
WITH listing AS (
    INSERT INTO market_listing
        (seller_id, title, description, price, shipping_payer, ship_within, condition,
         category, brand, shipping_method, status, created_at, updated_at, like_count)
    SELECT (%(sellers)s::bigint[])[1 + g %% cardinality(%(sellers)s::bigint[])],
           'bench item ' || g, '', 1000 + (g %% 50) * 100, 'seller', '2-3', 'no_visible_wear',
           '', '', 'undecided', 'sold', %(purchased)s, %(purchased)s, 0
    FROM generate_series(1, %(count)s) AS g
    RETURNING id, seller_id, price
)
INSERT INTO trades_trade
    (listing_id, buyer_id, seller_id, price, ship_within, shipping_method, shipping_payer,
     policy_id, policy_version, state,
     purchased_at, shipped_at, tracking_number, reminders_sent, escrow_released,
     operator_request_status, problem_text, refunded_after_payout, cancel_requested_by,
     cancel_request_reason, next_timer_at, next_timer_name, timer_failures, timer_last_error,
     revision, updated_at)
SELECT id, (%(buyers)s::bigint[])[1 + id %% cardinality(%(buyers)s::bigint[])], seller_id,
       price, '2-3', 'undecided', 'seller', %(policy)s, %(version)s, 'shipped', %(purchased)s,
       %(shipped)s, '1234',
       %(reminders)s::jsonb, false, '', '', 0, '', '', %(next_at)s, %(next_name)s, 0, '', 2,
       %(shipped)s
FROM listing
"""

HISTORY_SQL = """
INSERT INTO trades_tradeevent (trade_id, seq, at, actor, action, user_id, data, notify)
SELECT id, 1, purchased_at, 'buyer', 'purchase', buyer_id,
       jsonb_build_object('price', price, 'ship_within', ship_within), '["seller"]'::jsonb
FROM trades_trade WHERE id > %(after)s
UNION ALL
SELECT id, 2, shipped_at, 'seller', 'ship', seller_id,
       '{"tracking_number": "1234"}'::jsonb, '["buyer"]'::jsonb
FROM trades_trade WHERE id > %(after)s;

INSERT INTO ledger_ledgerposting (trade_id, event_id, kind, at)
SELECT t.id, e.id, 'purchase', t.purchased_at
FROM trades_trade t JOIN trades_tradeevent e ON e.trade_id = t.id AND e.seq = 1
WHERE t.id > %(after)s;

INSERT INTO ledger_ledgerentry (posting_id, account_id, amount)
SELECT p.id, a.id, -t.price
FROM ledger_ledgerposting p JOIN trades_trade t ON t.id = p.trade_id
JOIN ledger_ledgeraccount a ON a.user_id = t.buyer_id AND a.kind = 'buyer_payments'
WHERE t.id > %(after)s
UNION ALL
SELECT p.id, (SELECT id FROM ledger_ledgeraccount WHERE kind = 'escrow'), t.price
FROM ledger_ledgerposting p JOIN trades_trade t ON t.id = p.trade_id
WHERE t.id > %(after)s;
"""


def seed_trades(count: int, *, due: bool, users, with_history: bool = True) -> None:
    """`count` shipped trades: due ones shipped 16 days ago with both reminders sent (only
    the receipt evaluation is left), others shipped yesterday (next timer in two days)."""
    from datetime import timedelta

    from django.db import connection, transaction

    from furima import clock
    from furima.process import default_registry

    now = clock.now()
    policy = default_registry().get("furima")
    sellers, buyers = users
    shipped = now - timedelta(days=16 if due else 1)
    params = {
        "sellers": sellers,
        "buyers": buyers,
        "count": count,
        "purchased": shipped - timedelta(days=1),
        "shipped": shipped,
        "policy": policy.id,
        "version": policy.version,
        "reminders": "[0, 1]" if due else "[]",
        "next_at": now - timedelta(hours=1) if due else now + timedelta(days=2),
        "next_name": "auto_complete_at" if due else "reminder_at",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM trades_trade")
        after = cursor.fetchone()[0]
        cursor.execute(SEED_SQL, params)
        if with_history:
            for statement in HISTORY_SQL.split(";"):
                if statement.strip():
                    cursor.execute(statement, {"after": after})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------- workers


def _backend_cpu_seconds() -> float:
    """CPU time of this connection's PostgreSQL backend (same machine only; else 0)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker(batch_size: int, barrier, results) -> None:
    from django.db import connections

    from furima.trades.services import timers_apply_due

    backend_before = _backend_cpu_seconds()
    barrier.wait()
    started, cpu_started = time.perf_counter(), time.process_time()
    applied = 0
    while True:
        batch = timers_apply_due(batch_size=batch_size)
        if not batch.claimed:
            break
        applied += batch.applied
    finished, cpu = time.perf_counter(), time.process_time() - cpu_started
    backend = _backend_cpu_seconds() - backend_before
    results.put((started, finished, applied, cpu, backend))
    connections.close_all()


def run_workers(count: int, batch_size: int) -> tuple[int, float, float, float]:
    """Fork `count` worker processes that sweep until nothing is due; return the timers
    applied, the wall-clock seconds, and the CPU seconds of the workers and of their
    PostgreSQL backends."""
    from django.db import connections

    connections.close_all()  # never share a connection across fork
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(count), context.Queue()
    processes = [
        context.Process(target=_worker, args=(batch_size, barrier, results)) for _ in range(count)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=3600) for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a worker failed with exit code {process.exitcode}")
    started = min(o[0] for o in outcomes)
    finished = max(o[1] for o in outcomes)
    applied = sum(o[2] for o in outcomes)
    return applied, finished - started, sum(o[3] for o in outcomes), sum(o[4] for o in outcomes)


def report(label: str, applied: int, seconds: float, worker_cpu: float, db_cpu: float) -> float:
    rate = applied / seconds
    print(
        f"{label}: {applied:,} timers in {seconds:.2f}s = {rate:,.0f} timers/s  "
        f"(CPU per timer: worker {1000 * worker_cpu / applied:.3f} ms, "
        f"PostgreSQL {1000 * db_cpu / applied:.3f} ms)"
    )
    return rate


# ------------------------------------------------------------------------ sweep query


def claim_query_ms(batch_size: int, runs: int) -> tuple[float, int, str]:
    """Median time of the sweep's claim query (rolled back), the rows it returned, and the
    plan PostgreSQL chose for it."""
    from django.db import connection, transaction

    from furima import clock
    from furima.trades.models import Trade

    def claim():
        return (
            Trade.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(next_timer_at__isnull=False, next_timer_at__lte=clock.now())
            .order_by("next_timer_at")[:batch_size]
        )

    timings, rows = [], 0
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            rows = len(list(claim()))
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = claim().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join("      " + line for (line,) in cursor.fetchall())
        transaction.set_rollback(True)
    return statistics.median(timings), rows, plan


def count_trades() -> tuple[int, int]:
    from furima import clock
    from furima.trades.models import Trade

    due = Trade.objects.filter(next_timer_at__lte=clock.now()).count()
    return Trade.objects.count(), due


def main() -> None:
    args = parse_args()
    n, batch = args.trades, args.batch_size
    half = n // 2
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync_commit = cursor.fetchone()[0]
    print(f"PostgreSQL {connection.pg_version}, fsync={fsync}, synchronous_commit={sync_commit}")
    print(f"{os.cpu_count()} CPUs, batch size {batch}, N = {n:,} trades ({half:,} due)")

    started = time.perf_counter()
    users = seed_users()
    seed_trades(n - half, due=False, users=users)
    seed_trades(half, due=True, users=users)
    print(f"seeded in {time.perf_counter() - started:.1f}s")

    base_ms, base_rows, _ = claim_query_ms(batch, args.query_runs)

    print(f"load average before the runs: {os.getloadavg()[0]:.2f}")
    one = report("1 worker ", *run_workers(1, batch))
    seed_trades(half, due=True, users=users)
    two = report("2 workers", *run_workers(2, batch))
    print(f"2 workers / 1 worker = {two / one:.2f}×")

    if args.check:  # before the query-cost trades below, which carry no history
        from furima.trades.ledger_checks import ledger_invariant_violations

        problems = ledger_invariant_violations()
        print("ledger invariants:", "hold" if not problems else f"{len(problems)} broken")

    idle_ms, _, _ = claim_query_ms(batch, args.query_runs)
    total, _ = count_trades()
    not_due = total  # every trade now waits for a later timer or none
    started = time.perf_counter()
    seed_trades(10 * not_due, due=False, users=users, with_history=False)
    print(f"added {10 * not_due:,} non-due trades in {time.perf_counter() - started:.1f}s")
    big_idle_ms, _, _ = claim_query_ms(batch, args.query_runs)
    seed_trades(batch * 10, due=True, users=users, with_history=False)
    big_ms, big_rows, big_plan = claim_query_ms(batch, args.query_runs)
    total_big, _ = count_trades()

    print(f"sweep claim query (median of {args.query_runs}, rolled back):")
    print(f"  {total:>10,} trades, {base_rows} due rows claimed: {base_ms:7.3f} ms")
    print(f"  {total:>10,} trades, nothing due           : {idle_ms:7.3f} ms")
    print(f"  {total_big:>10,} trades, nothing due           : {big_idle_ms:7.3f} ms")
    print(f"  {total_big:>10,} trades, {big_rows} due rows claimed: {big_ms:7.3f} ms")
    print("  plan:\n" + big_plan)


if __name__ == "__main__":
    main()
