"""The production configuration `furima serve` gives gunicorn (README, "Running in
production"). Every value can be set from the environment:

FURIMA_BIND              address to listen on (default 127.0.0.1:8000: the TLS proxy's side)
FURIMA_WEB_PROCESSES     gunicorn worker processes (default 2 × CPUs + 1)
FURIMA_WEB_THREADS       threads per process (default 1: sync workers)
FURIMA_WEB_TIMEOUT       seconds before a stuck request's process is replaced (default 30)
FURIMA_FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-* (default 127.0.0.1,::1)

Web processes are stateless (sessions and the clock live in the database), so any number can
run behind the proxy. Request metrics are added up across processes through
prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `furima serve`).
"""

from __future__ import annotations

import os

from prometheus_client import multiprocess

bind = os.environ.get("FURIMA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FURIMA_WEB_PROCESSES", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("FURIMA_WEB_THREADS", "1"))
timeout = int(os.environ.get("FURIMA_WEB_TIMEOUT", "30"))
graceful_timeout = 30  # SIGTERM: requests in flight get this long to finish
keepalive = 5  # behind a proxy that keeps connections open
max_requests = 2000  # replace processes now and then: bounded memory growth
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FURIMA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None  # the proxy logs requests; /metrics counts them
errorlog = "-"
proc_name = "furima-web"


def on_starting(server) -> None:
    """Start with no metric files of an earlier run (their counters would be added in)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker) -> None:
    """A web process ended: its live gauges no longer count."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
