"""The load benchmark's table: each page alone, under 20 paced users, and with no pauses."""

from __future__ import annotations

from pathlib import Path

GOAL_UNLOADED_MS = 100
GOAL_P95_MS = 200
GOAL_PAGES_PER_SECOND = 50


def _met(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def _table(figures: dict) -> list[str]:
    alone = {row["page"]: row for row in figures["unloaded"]}
    paced, fast = figures["paced"]["pages"], figures["throughput"]["pages"]
    names = [*alone, *(name for name in paced if name not in alone and name != "Aggregated")]
    lines = [
        "| page | alone: median (max) ms | size KB | 20 users: p50 / p95 / p99 ms | requests "
        "(failed) | no pause: p50 / p95 ms | no pause: pages/s (failed) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in [*names, "Aggregated"]:
        row = alone.get(name)
        one = f"{row['median_ms']:,} ({row['max_ms']:,})" if row else ""
        size = f"{row['kilobytes']:,}" if row else ""
        p = paced.get(name)
        f = fast.get(name)
        load = f"{_ms(p['p50_ms'])} / {_ms(p['p95_ms'])} / {_ms(p['p99_ms'])}" if p else "–"
        count = f"{p['requests']:,} ({p['failures']})" if p else "–"
        quick = f"{_ms(f['p50_ms'])} / {_ms(f['p95_ms'])}" if f else "–"
        rate = f"{f['per_second']:.1f} ({f['failures']})" if f else "–"
        label = "**all pages**" if name == "Aggregated" else f"`{name}`"
        lines.append(f"| {label} | {one} | {size} | {load} | {count} | {quick} | {rate} |")
    return lines


def _pack(data: dict) -> str:
    """The board pack's size, and its job's time when this run built it."""
    if not data.get("pack_pages"):
        return ""
    built = f", built by its job in {data['pack_seconds']} s" if data.get("pack_seconds") else ""
    return f" The board's members' pack: {data['pack_pages']} pages{built}."


def _summary(figures: dict) -> list[str]:
    paced, fast = figures["paced"], figures["throughput"]
    total, total_fast = paced["pages"]["Aggregated"], fast["pages"]["Aggregated"]
    pages = [row for name, row in paced["pages"].items() if name != "Aggregated"]
    worst = max(pages, key=lambda row: row["p95_ms"])["p95_ms"] if pages else 0
    slowest = max(figures["unloaded"], key=lambda row: row["median_ms"])
    data = figures["data_set"]
    lines = [
        f"Data set: {data['schools']:,} schools ({data['open_schools']:,} open), "
        f"{data['values']:,} performance values, {data['runs']} runs, {data['results']:,} "
        f"results. gunicorn, {figures['workers']} sync workers, DJANGO_ENV=production, on "
        f"{figures['cores']} cores; {figures['users']} locust users for "
        f"{figures['duration_seconds']} s a run.{_pack(data)}",
        "",
        f"- Alone, every page under {GOAL_UNLOADED_MS} ms: "
        f"{_met(slowest['median_ms'] < GOAL_UNLOADED_MS)} (slowest `{slowest['page']}`, "
        f"median {slowest['median_ms']:,} ms).",
        f"- {figures['users']} users pausing 1–2 s, every page's p95 under {GOAL_P95_MS} ms "
        f"with no failures: {_met(worst < GOAL_P95_MS and total['failures'] == 0)} (worst p95 "
        f"{worst:,.0f} ms; {total['requests']:,} requests, {total['failures']} failed, "
        f"{total['per_second']:.1f} pages/s; web workers {paced['web_cpu_seconds']} CPU s, "
        f"locust {paced['locust_cpu_seconds']} CPU s; load average {paced['load_average']}).",
        f"- No pauses, at least {GOAL_PAGES_PER_SECOND} pages/s: "
        f"{_met(total_fast['per_second'] >= GOAL_PAGES_PER_SECOND)} "
        f"({total_fast['per_second']:.1f} pages/s; {total_fast['requests']:,} requests, "
        f"{total_fast['failures']} failed; web workers {fast['web_cpu_seconds']} CPU s, locust "
        f"{fast['locust_cpu_seconds']} CPU s; load average {fast['load_average']}).",
    ]
    failures = paced["failures"] + fast["failures"]
    if failures:
        lines += ["", "Failures:"]
        lines += [f"- `{row['page']}`: {row['error']} ({row['count']}×)" for row in failures]
    return lines


def report_write(figures: dict, out: Path) -> None:
    """Print the table and the goals, and save them as Markdown."""
    text = "\n".join([*_table(figures), "", *_summary(figures)]) + "\n"
    print("\n" + text)
    out.write_text(text)
