"""make bench-search: the public search in process, on the database DATABASE_URL names.

Calls `minutes.search.search()` (the ranked page, its count and its snippets, as the
search page does; no HTTP, no page cache) for a few queries over the protocols
`manage.py bench_seed_web` makes, and prints queries per second, p50 and p99 for each.
Figures only: nothing here passes or fails. BENCH_SEARCH_MODULE names another module with
the same `search()` to compare (e.g. an older copy of minutes/search.py).
"""

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steering.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from minutes.models import Publication  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "200"))
QUERIES = [
    # Every protocol: the whole ranking and count, ten snippets.
    ("all match", "hoitoon pääsyn"),
    # The region's name in another form: one protocol a year.
    ("one region", "Lappi"),
    ("websearch syntax", '"talous ja palvelut" -lappi or investeringsplaner'),
    ("nothing matches", "kuusenkerkkä"),
]


def measure(search, query: str) -> tuple[int, list[float]]:
    for _ in range(5):  # warm: the stemmer's cache, the connection, the plans
        search(query)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        page = search(query)
        times.append(time.perf_counter() - start)
    return page.paginator.count, times


def main() -> None:
    module = os.environ.get("BENCH_SEARCH_MODULE", "minutes.search")
    search = importlib.import_module(module).search
    current = Publication.objects.filter(is_current=True, withdrawn_at__isnull=True).count()
    print(f"{connection.vendor}, {module}: {current} published protocols, {ROUNDS} rounds")
    print("| back end | query | found | queries/s | p50 ms | p99 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, query in QUERIES:
        count, times = measure(search, query)
        cuts = statistics.quantiles(times, n=100)
        print(
            f"| {connection.vendor} | {name}: `{query}` | {count} | "
            f"{len(times) / sum(times):.0f} | {cuts[49] * 1000:.2f} | {cuts[98] * 1000:.2f} |"
        )


if __name__ == "__main__":
    main()
