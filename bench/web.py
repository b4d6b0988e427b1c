"""How fast are the trade page and the listing page under a production server? Prints figures;
it is not a test.

    .venv/bin/python bench/web.py                    # PostgreSQL, 15 s per page and config
    .venv/bin/python bench/web.py --quick            # 5 s per page and config
    .venv/bin/python bench/web.py --database sqlite  # SQLite in a temporary directory
    .venv/bin/python bench/web.py --gunicorn sync:4  # one gunicorn configuration only
    .venv/bin/python bench/web.py --profile          # also: queries and cProfile, in-process
    .venv/bin/python bench/web.py --conn-max-age 60  # persistent database connections

What it does:

1. A fresh database: PostgreSQL ``furima_bench`` (dropped and created again each run, and
   dropped at the end unless ``--keep-db``) or SQLite under a temporary directory. Then
   ``furima migrate``, ``furima seed_demo``, and 200 more listings (20 of them bought) so the
   listing page paginates like a real one. The trade page measured is taro's trade with the
   most events.
2. For each gunicorn configuration (``--gunicorn``, default ``sync:4,gthread:2x4,gthread:4x2``;
   ``sync:N`` is N sync workers, ``gthread:WxT`` is W workers of T threads) gunicorn serves
   ``furima.wsgi:application`` on 127.0.0.1 with FURIMA_DEBUG=0. Once it answers, 16 clients
   (threads of this process, each with its own keep-alive ``http.client`` connection) send
   GET requests back to back: first the trade page (each client logged in as taro once,
   through the login form), then the listing page (anonymous). A short warm-up is not counted.
3. Each response must be 200 and contain the page's marker (``id="trade-panel"``,
   ``data-testid="listing-grid"``); anything else counts as an error. ``requests`` and
   ``req/s`` count the good responses in the measured window; p50/p99 are of their latency
   (from sending the request to reading the last byte, reconnects included).

The load generator shares the machine's cores with the server, so the figures are for both
together. Under each figure a second line says where the CPU went during the measured window
(from /proc): milliseconds of CPU per request in gunicorn, in PostgreSQL and in the load
generator; how busy the whole machine was and how much of that was other processes (someone
else's test run); and the ceiling that CPU cost allows with all cores idle (cores / CPU per
request). When "other processes" is large, rerun on a quiet machine. The load average is
printed too, but it counts the benchmark's own 16 clients and server processes, so it is high
even on an otherwise idle machine.

The server's database settings are the app's (FURIMA_CONN_MAX_AGE from the environment,
else the app's default of 60 s); ``--conn-max-age`` overrides it.

Target (2 cores): trade page >= 200 req/s with p99 <= 150 ms at 16 clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16
TARGET_RPS = 200.0
TARGET_P99_MS = 150.0
DEFAULT_CONFIGS = "sync:4,gthread:2x4,gthread:4x2"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/furima_bench"
BUYER = ("taro", "taro-buys-2016")
TRADE_MARKER = b'id="trade-panel"'
LISTING_MARKER = b'data-testid="listing-grid"'
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP_SCRIPT = r"""
import json, random
import django
django.setup()
from django.db.models import Count
from furima.accounts.models import User
from furima.market.models import Listing, ListingStatus
from furima.market.services import listing_create
from furima.trades.purchase import listing_purchase
from furima.trades.models import Message, Trade, TradeEvent

EXTRA_LISTINGS, EXTRA_SOLD = int(__import__("sys").argv[1]), int(__import__("sys").argv[2])
rng = random.Random(2016)
things = ["ワンピース", "スニーカー", "文庫本", "マグカップ", "イヤホン", "リュック", "腕時計",
          "ボードゲーム", "ランタン", "ニット帽", "絵本", "レコード", "カメラ", "ぬいぐるみ"]
notes = ["未使用", "美品", "数回使用", "箱あり", "ジャンク", "まとめ売り", "限定品"]
hanako, jiro, taro = (User.objects.get(username=n) for n in ("hanako", "jiro", "taro"))
made = []
for i in range(EXTRA_LISTINGS):
    made.append(listing_create(
        seller=hanako if i % 3 else jiro,
        title=f"{rng.choice(things)} {rng.choice(notes)} No.{i + 1}",
        price=rng.randrange(300, 30000, 100),
        description="状態は写真の通りです。" * rng.randint(1, 4),
    ))
for listing in made[:EXTRA_SOLD]:
    listing_purchase(listing_id=listing.pk, buyer=taro if listing.seller_id != taro.pk else jiro)
best = (
    TradeEvent.objects.filter(trade__buyer=taro).values("trade_id")
    .annotate(n=Count("id")).order_by("-n", "trade_id").first()
)
trade = Trade.objects.get(pk=best["trade_id"])
print(json.dumps({
    "trade_id": trade.pk,
    "trade_state": trade.state,
    "trade_events": best["n"],
    "trade_messages": Message.objects.filter(trade=trade).count(),
    "listings_on_sale": Listing.objects.filter(status=ListingStatus.ON_SALE).count(),
    "trades": Trade.objects.count(),
}))
"""

PROFILE_SCRIPT = r"""
import cProfile, io, pstats, re, sys, time
from collections import Counter
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from furima.accounts.models import User

trade_id, runs = int(sys.argv[1]), int(sys.argv[2])
client = Client(HTTP_ACCEPT_LANGUAGE="ja")
client.force_login(User.objects.get(username="taro"))
anonymous = Client(HTTP_ACCEPT_LANGUAGE="ja")
for name, who, path in (("trade page", client, f"/trades/{trade_id}/"),
                        ("listing page", anonymous, "/items/")):
    assert who.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as captured:
        who.get(path)
    shapes = Counter(re.sub(r"\b\d+\b", "N", q["sql"]) for q in captured.captured_queries)
    print(f"== {name} {path}: {len(captured.captured_queries)} queries, "
          f"{sum(float(q['time']) for q in captured.captured_queries) * 1000:.1f} ms in SQL")
    for q in captured.captured_queries:
        print(f"   {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")
    repeated = {s: n for s, n in shapes.items() if n > 1}
    for s, n in repeated.items():
        print(f"   repeated {n}x: {s[:150]}")
    start = time.perf_counter()
    for _ in range(runs):
        who.get(path)
    per = (time.perf_counter() - start) / runs * 1000
    print(f"   in-process: {per:.2f} ms per request ({runs} requests, one thread)")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        who.get(path)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(22)
        text = out.getvalue()
        print(f"   -- top by {order} ({runs} requests)")
        print(text[text.find("   ncalls"):].rstrip())
"""


# ---------------------------------------------------------------------------------------------
# Setup: database, migrate, seed


def venv_bin(name: str) -> str:
    for folder in (Path(sys.executable).parent, ROOT / ".venv" / "bin"):
        if (folder / name).exists():
            return str(folder / name)
    raise SystemExit(f"bench/web.py: {name} not found next to {sys.executable} or in .venv/bin")


def postgres_recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"bench/web.py: refusing to drop database {name!r} (no 'bench' in it)")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_django(env: dict[str, str], *args: str, script: str | None = None) -> str:
    """Run `furima <args>` (or `python -c script <args>`) and return its standard output."""
    command = [sys.executable, "-c", script, *args] if script else [venv_bin("furima"), *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench/web.py: {' '.join(command[:2])} … failed ({done.returncode})")
    return done.stdout


def prepare(env: dict[str, str], listings: int, sold: int) -> dict:
    run_django(env, "migrate", "--noinput", "-v", "0")
    run_django(env, "seed_demo")
    out = run_django(env, str(listings), str(sold), script=SETUP_SCRIPT)
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# The server


@dataclass(frozen=True)
class Config:
    worker_class: str  # "sync" | "gthread"
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> Config:
        kind, _, size = text.strip().partition(":")
        try:
            if kind == "sync":
                return cls("sync", int(size))
            if kind == "gthread":
                workers, threads = size.split("x")
                return cls("gthread", int(workers), int(threads))
        except ValueError:
            pass
        raise argparse.ArgumentTypeError(f"{text!r}: use sync:N or gthread:WxT")

    def __str__(self) -> str:
        if self.worker_class == "sync":
            return f"sync:{self.workers}"
        return f"gthread:{self.workers}x{self.threads}"

    def args(self) -> list[str]:
        return [
            f"--worker-class={self.worker_class}",
            f"--workers={self.workers}",
            f"--threads={self.threads}",
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1:<free port>; use as a context manager (always stopped)."""

    def __init__(self, config: Config, env: dict[str, str], log_dir: Path):
        self.config = config
        self.env = env
        self.port = free_port()
        self.log = log_dir / f"gunicorn-{str(config).replace(':', '-')}.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            venv_bin("gunicorn"),
            "furima.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            *self.config.args(),
            "--preload",
            "--keep-alive=5",
            "--timeout=30",
            "--graceful-timeout=5",
            "--backlog=256",
            "--log-level=warning",
            *(["--worker-tmp-dir=/dev/shm"] if Path("/dev/shm").is_dir() else []),
        ]

    def __enter__(self) -> Server:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/items/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s:\n{self.tail()}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: gunicorn stops its workers, then exits
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-25:])
        except OSError:
            return ""


# ---------------------------------------------------------------------------------------------
# Where the CPU went: /proc (Linux); every figure is None where it cannot be read.

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (fields[0] is the state)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def _processes() -> dict[int, list[str]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _proc_stat(int(entry.name))) is not None:
            found[int(entry.name)] = fields
    return found


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


@dataclass(frozen=True)
class CpuSample:
    at: float
    machine_busy: float | None  # CPU seconds, all cores, everything
    machine_total: float | None
    server: float | None  # gunicorn master and workers
    database: float | None  # PostgreSQL backends of the bench database (live + exited)
    generator: float  # this process


class CpuMeter:
    """CPU seconds used by gunicorn, by PostgreSQL and by the whole machine between samples.

    PostgreSQL: the live backends connected to the bench database, plus what the postmaster
    reaped from exited backends (with FURIMA_CONN_MAX_AGE=0 each request's backend exits at
    once); the second part also holds any other database's backends that exited meanwhile.
    """

    def __init__(self, server_pid: int, postmaster_pid: int | None, db_name: str | None):
        self.server_pid = server_pid
        self.postmaster_pid = postmaster_pid
        self.db_name = db_name

    def sample(self) -> CpuSample:
        at = time.perf_counter()
        busy = total = None
        try:
            ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
            total = sum(ticks[:8]) / TICK  # user nice system idle iowait irq softirq steal
            busy = total - (ticks[3] + ticks[4]) / TICK
        except (OSError, ValueError, IndexError):
            pass
        processes = _processes()
        server = database = None
        if processes:
            server = sum(
                (int(f[11]) + int(f[12])) / TICK
                for pid, f in processes.items()
                if pid == self.server_pid or f[1] == str(self.server_pid)
            )
        if self.postmaster_pid and (postmaster := processes.get(self.postmaster_pid)):
            database = (int(postmaster[13]) + int(postmaster[14])) / TICK
            for pid, f in processes.items():
                if f[1] == str(self.postmaster_pid) and f" {self.db_name} " in _cmdline(pid):
                    database += (int(f[11]) + int(f[12])) / TICK
        return CpuSample(at, busy, total, server, database, time.process_time())


def postmaster_pid(database_url: str) -> int | None:
    """The PostgreSQL server's main process, if it runs on this machine and we may see it."""
    try:
        import psycopg

        url = urlunsplit(urlsplit(database_url)._replace(scheme="postgresql"))
        with psycopg.connect(url, connect_timeout=5) as conn:
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            fields = _proc_stat(backend)
        return int(fields[1]) if fields else None
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# The load generator


class Client:
    """One keep-alive connection with a cookie jar (just name=value; one host)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        sent = {
            "Host": f"127.0.0.1:{self.port}",
            "Accept-Language": "ja",
            "Accept-Encoding": "identity",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: once more, on a new one.
                self.conn.close()
                if attempt == 2 or not reused:
                    raise
                self.reconnects += 1
                continue
            except (OSError, http.client.HTTPException):
                self.conn.close()
                raise
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            if response.will_close:
                self.conn.close()
            return response.status, data
        raise AssertionError("unreachable")

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        found = CSRF_INPUT.search(page)
        if status != 200 or not found or "csrftoken" not in self.cookies:
            raise RuntimeError(f"login page: status {status}, no CSRF token")
        form = {
            "csrfmiddlewaretoken": found.group(1).decode(),
            "username": username,
            "password": password,
        }
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: status {status}")

    def close(self) -> None:
        self.conn.close()


@dataclass
class Result:
    page: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    reconnects: int = 0
    cpu: tuple[CpuSample, CpuSample] | None = None
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile_ms(self, q: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000  # nearest rank

    def line(self) -> str:
        return (
            f"{self.page}: {self.clients} clients, {self.seconds:.1f} s: "
            f"{len(self.latencies):,} requests, {self.rps:,.1f} req/s, "
            f"p50 {self.percentile_ms(0.50):.1f} ms, p99 {self.percentile_ms(0.99):.1f} ms, "
            f"errors {self.errors}"
        )

    def meets_target(self) -> bool:
        return self.rps >= TARGET_RPS and self.percentile_ms(0.99) <= TARGET_P99_MS

    def cpu_line(self) -> str:
        """CPU ms per good request: gunicorn, PostgreSQL, the load generator; the machine's
        busy share; and what that would allow with all cores to ourselves."""
        if self.cpu is None or not self.latencies:
            return ""
        first, last = self.cpu
        n = len(self.latencies)
        parts, ours = [], 0.0
        for label, a, b in (
            ("gunicorn", first.server, last.server),
            ("postgres", first.database, last.database),
            ("load generator", first.generator, last.generator),
        ):
            if a is not None and b is not None:
                parts.append(f"{label} {(b - a) / n * 1000:.1f}")
                ours += b - a
        text = "CPU per request (ms): " + ", ".join(parts)
        if (
            first.machine_busy is not None
            and last.machine_busy is not None
            and last.machine_total > first.machine_total
        ):
            busy = last.machine_busy - first.machine_busy
            span = last.machine_total - first.machine_total
            cores = os.cpu_count() or 1
            text += (
                f"; machine CPU busy {busy / span * 100:.0f}%, of it other processes "
                f"{max(0.0, busy - ours) / span * 100:.0f}% of {cores} cores"
            )
            if ours > 0:
                text += f"; ceiling with {cores} idle cores ≈ {cores * n / ours:,.0f} req/s"
        return text


def load(
    port: int,
    page: str,
    path: str,
    marker: bytes,
    *,
    clients: int,
    warmup: float,
    seconds: float,
    login: tuple[str, str] | None,
    meter: CpuMeter | None = None,
) -> Result:
    """`clients` threads GET `path` back to back for warmup + seconds; the last `seconds`
    count."""
    result = Result(page, clients, seconds)
    pool = [Client(port) for _ in range(clients)]
    if login:
        for client in pool:  # one correct login each (axes counts failures, not successes)
            client.login(*login)
    lock = threading.Lock()
    window: dict[str, float] = {}

    def start_clock() -> None:
        now = time.perf_counter()
        window["measure_from"] = now + warmup
        window["until"] = now + warmup + seconds

    barrier = threading.Barrier(clients + 1, action=start_clock)

    def run(client: Client) -> None:
        latencies: list[float] = []
        errors, samples = 0, []
        barrier.wait()
        measure_from, until = window["measure_from"], window["until"]
        while (started := time.perf_counter()) < until:
            problem = None
            try:
                status, body = client.request("GET", path)
                if status != 200:
                    problem = f"status {status}"
                elif marker not in body:
                    problem = f"no {marker.decode()} in the page"
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
                time.sleep(0.01)  # do not spin if the server is gone
            elapsed = time.perf_counter() - started
            if started < measure_from:
                continue
            if problem is None:
                latencies.append(elapsed)
            else:
                errors += 1
                if len(samples) < 3:
                    samples.append(problem)
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            result.error_samples.extend(samples[: 3 - len(result.error_samples)])
            result.reconnects += client.reconnects

    threads = [threading.Thread(target=run, args=(c,), daemon=True) for c in pool]
    for thread in threads:
        thread.start()
    barrier.wait()
    time.sleep(max(0.0, window["measure_from"] - time.perf_counter()))
    first = meter.sample() if meter else None
    time.sleep(max(0.0, window["until"] - time.perf_counter()))
    last = meter.sample() if meter else None
    for thread in threads:
        thread.join(timeout=60)
    if first and last:
        result.cpu = (first, last)
    result.load_after = os.getloadavg()
    for client in pool:
        client.close()
    return result


# ---------------------------------------------------------------------------------------------
# Main


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def bench_config(config: Config, env, log_dir, info, args) -> tuple[Result, Result]:
    with Server(config, env, log_dir) as server:
        print(f"gunicorn {config}: {' '.join(server.command()[1:])}", flush=True)
        meter = CpuMeter(server.process.pid, info.get("postmaster_pid"), info.get("db_name"))
        results = []
        for page, path, marker, login in (
            ("trade page", f"/trades/{info['trade_id']}/", TRADE_MARKER, BUYER),
            ("listing page", "/items/", LISTING_MARKER, None),
        ):
            result = load(
                server.port,
                page,
                path,
                marker,
                clients=args.clients,
                warmup=args.warmup,
                seconds=args.seconds,
                login=login,
                meter=meter,
            )
            results.append(result)
            print(f"  {result.line()}", flush=True)
            print(f"    {result.cpu_line()}", flush=True)
            print(
                f"    reconnects {result.reconnects}, load average {fmt_load(result.load_after)}",
                flush=True,
            )
            for sample in result.error_samples:
                print(f"    error: {sample}")
        return results[0], results[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted time per page")
    parser.add_argument("--quick", action="store_true", help="5 s per page")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--keep-db", action="store_true", help="do not drop it at the end")
    parser.add_argument(
        "--gunicorn",
        default=DEFAULT_CONFIGS,
        help=f"comma-separated configs to try, sync:N or gthread:WxT (default {DEFAULT_CONFIGS})",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="FURIMA_CONN_MAX_AGE for the server (default: the environment's, else 60)",
    )
    parser.add_argument("--listings", type=int, default=200, help="listings added to the seed")
    parser.add_argument("--sold", type=int, default=20, help="of which bought")
    parser.add_argument("--profile", action="store_true", help="queries and cProfile at the end")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup = 5.0, 1.0
    try:
        configs = [Config.parse(text) for text in args.gunicorn.split(",") if text.strip()]
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))

    work = Path(tempfile.mkdtemp(prefix="furima-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "furima.settings",
        "FURIMA_DEBUG": "0",
        "FURIMA_DEMO": "0",
        "FURIMA_SECRET_KEY": secrets.token_urlsafe(50),
        # Production settings, but plain HTTP on loopback (no TLS proxy in front).
        "FURIMA_SSL_REDIRECT": "0",
        "FURIMA_SECURE_COOKIES": "0",
        "FURIMA_VAR_DIR": str(work),
        "FURIMA_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    if args.conn_max_age is not None:
        env["FURIMA_CONN_MAX_AGE"] = str(args.conn_max_age)
    if args.database == "postgres":
        env["FURIMA_DATABASE_URL"] = args.postgres_url
    else:
        env["FURIMA_DATABASE_URL"] = f"sqlite:///{work / 'furima.sqlite3'}"
    print(
        f"bench/web.py: {os.cpu_count()} CPUs, load average {fmt_load(os.getloadavg())}, "
        f"database {env['FURIMA_DATABASE_URL']}, "
        f"FURIMA_CONN_MAX_AGE={env.get('FURIMA_CONN_MAX_AGE', '60 (app default)')}",
        flush=True,
    )
    try:
        if args.database == "postgres":
            postgres_recreate(args.postgres_url)
        started = time.perf_counter()
        info = prepare(env, args.listings, args.sold)
        if args.database == "postgres":
            info["postmaster_pid"] = postmaster_pid(args.postgres_url)
            info["db_name"] = urlsplit(args.postgres_url).path.lstrip("/")
        print(
            f"setup {time.perf_counter() - started:.1f} s: {info['listings_on_sale']} listings on "
            f"sale, {info['trades']} trades; trade page /trades/{info['trade_id']}/ "
            f"({info['trade_state']}, {info['trade_events']} events, "
            f"{info['trade_messages']} messages), viewed by {BUYER[0]}",
            flush=True,
        )
        runs = [(config, *bench_config(config, env, work, info, args)) for config in configs]
        best = max(runs, key=lambda r: (r[1].meets_target(), r[1].rps))
        config, trade, listing = best
        print()
        print(
            f"best gunicorn configuration: {config} ({config.worker_class} worker class, "
            f"{config.workers} workers x {config.threads} threads)"
        )
        print(trade.line())
        print(listing.line())
        verdict = "met" if trade.meets_target() else "NOT met"
        print(
            f"target: trade page >= {TARGET_RPS:.0f} req/s and p99 <= {TARGET_P99_MS:.0f} ms: "
            f"{verdict} ({trade.rps:,.1f} req/s, p99 {trade.percentile_ms(0.99):.1f} ms); "
            f"load average {fmt_load(os.getloadavg())}"
        )
        if args.profile:
            print()
            print(run_django(env, str(info["trade_id"]), "200", script=PROFILE_SCRIPT))
        elif not trade.meets_target():
            print("(run again with --profile to see the queries and where the time goes)")
        return 0
    finally:
        if args.database == "postgres" and not args.keep_db:
            try:
                postgres_recreate(args.postgres_url, drop_only=True)
            except Exception as error:
                print(f"could not drop the bench database: {error}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
