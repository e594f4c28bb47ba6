"""make bench-web: the public pages under load, each beside a bare Django view.

Serves the portal with gunicorn on 127.0.0.1 and drives it with wrk for a fixed short
time per URL, first with the public page cache on, then off. Prints requests per second,
p50 and p99 latency, and the ratio to the bare view measured in the same run. Figures only:
nothing here passes or fails.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = os.environ.get("BENCH_SECONDS", "5")
WARM_UP = "1"
CONNECTIONS = "16"
PAGES = [
    ("bare view", "/bench/bare"),
    ("front page", "/fi/"),
    ("list, filtered", "/fi/protocols/?region=lappi"),
    ("protocol page", "/fi/protocols/{pk}/"),
    ("search", "/fi/search/?q=investointisuunnitelma"),
    ("Atom feed", "/fi/feeds/protocols.atom"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: int = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def to_ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if found is None:
        raise SystemExit(f"unreadable wrk latency {value!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[unit]


def run_wrk(url: str, seconds: str = DURATION) -> tuple[float, float, float]:
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Latency Distribution" not in out:
        raise SystemExit(f"wrk gave no latency figures for {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1))
    return rps, p50, p99


def measure(env: dict, label: str, protocol_pk: int) -> list[tuple]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "steering.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/bench/bare")
        rows = []
        for name, path in PAGES:
            url = base + path.format(pk=protocol_pk)
            urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - warm the cache
            # One request warms one worker; a short run warms them all (their database
            # connections, prepared statements and lazily built URL resolvers), so that
            # start-up is not counted as latency.
            run_wrk(url, WARM_UP)
            rows.append((label, name, *run_wrk(url)))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process(protocol_pk: int) -> list[tuple]:
    """Each page's own cost inside Django, without HTTP or a second process: the median of
    200 requests through the test client with the page cache off, and its query count."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for name, path in PAGES:
        url = path.format(pk=protocol_pk)
        for _ in range(20):
            client.get(url)
        times = []
        for _ in range(200):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        rows.append((name, statistics.median(times) * 1000, len(queries)))
    return rows


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk); make bench-web installs it.")
    env = {**os.environ, "BENCHMARK_BARE_VIEW": "1", "DEBUG": "0"}
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steering.settings")
    os.environ.update(BENCHMARK_BARE_VIEW="1", DEBUG="0", PUBLIC_PAGE_CACHE="0")
    django.setup()
    from minutes.models import Publication

    protocol_pk = Publication.objects.filter(withdrawn_at__isnull=True).order_by("-pk").first().pk
    count = Publication.objects.count()
    rows = measure(env, "cached", protocol_pk)
    rows += measure({**env, "PUBLIC_PAGE_CACHE": "0"}, "uncached", protocol_pk)
    bare = {label: rps for label, name, rps, _p50, _p99 in rows if name == "bare view"}
    costs = in_process(protocol_pk)
    print("\nIn process, page cache off (median of 200 requests, no HTTP):")
    for name, milliseconds, queries in costs:
        print(f"- {name}: {milliseconds:.2f} ms, {queries} queries")
    print(f"\n{count} published protocols; {CONNECTIONS} connections, {DURATION} s per URL, "
          f"gunicorn 2 workers, {os.cpu_count()} cores")  # fmt: skip
    print(f"{'mode':9} {'page':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}")
    for label, name, rps, p50, p99 in rows:
        print(f"{label:9} {name:16} {rps:8.0f} {p50:8.1f} {p99:8.1f} {rps / bare[label]:8.0%}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
