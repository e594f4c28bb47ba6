"""make bench: run bench-pdf and bench-web, write their figures to bench/RESULTS.md
together with a description of the machine they were measured on."""

import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(target: str) -> str:
    command = [shutil.which("make"), "--no-print-directory", target]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"make {target} failed")
    return result.stdout


def machine() -> list[str]:
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    import weasyprint

    return [
        f"- measured: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {int(memory) // 1024 // 1024} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}; "
        f"WeasyPrint {weasyprint.__version__}",
    ]


PDF_FIGURES = [
    ("typical protocol", r"typical protocol: (\d+ pages)"),
    ("portal render, median per protocol", r"median ([\d.]+ s) per protocol"),
    ("portal render, median per page", r"([\d.]+ s) per page"),
    ("bare WeasyPrint, same HTML", r"same HTML: median ([\d.]+ s)"),
    ("ratio portal / bare", r"ratio portal / bare: ([\d.]+)"),
    ("peak memory", r"peak memory[^:]*: (\d+ MB)"),
    ("round of 23 through Celery", r"round of 23[^:]*: (.+)"),
]


def pdf_table(out: str) -> list[str]:
    rows = ["| figure | value |", "| --- | --- |"]
    for label, pattern in PDF_FIGURES:
        match = re.search(pattern, out)
        rows.append(f"| {label} | {match.group(1) if match else '–'} |")
    return rows


def web_table(out: str) -> list[str]:
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if "published protocols;" in line), len(lines))
    lines = lines[start:]
    rows = [line.split() for line in lines[2:] if line.strip()]
    table = [lines[0] if lines else "", "", "| mode | page | req/s | p50 ms | p99 ms | vs bare |"]
    table.append("| --- | --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        mode, *page, rps, p50, p99, ratio = row
        table.append(f"| {mode} | {' '.join(page)} | {rps} | {p50} | {p99} | {ratio} |")
    return table


def in_process_lines(out: str) -> list[str]:
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("In process")), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("- ")), None)
    return ["", lines[start], "", *lines[start + 1 : end]]


def main() -> None:
    pdf, web = run("bench-pdf"), run("bench-web")
    text = [
        "# Benchmark results",
        "",
        "Written by `make bench`; figures, not pass/fail. Targets (DESIGN.md, issues 5–6):",
        "under 0.5 s per typical protocol, ratio to bare WeasyPrint under 1.2, a round of 23",
        "under 30 s; cached public pages at least 50 % of the bare view, uncached at least",
        "20 %, p99 under 100 ms at 16 clients.",
        "",
        "## Machine",
        *machine(),
        "",
        "## Protocol PDF (`make bench-pdf`)",
        *pdf_table(pdf),
        "",
        "## Public pages (`make bench-web`)",
        "Each URL is first driven for 1 s so that every worker is warm. Uncached: the public",
        "page cache is off (`PUBLIC_PAGE_CACHE=0`), so every request renders its page from",
        "the database.",
        "",
        *web_table(web),
        *in_process_lines(web),
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
