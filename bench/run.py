"""`make bench`: Book Your Place under load, as production runs it, on PostgreSQL then SQLite.

Prints one table and writes it, with every raw figure, to bench/results/<time>.json (and
latest.json). See the README, "Benchmark: make bench", for what is measured and the targets.

    .venv/bin/python bench/run.py                       # both databases
    .venv/bin/python bench/run.py --backend sqlite      # one
    .venv/bin/python bench/run.py --table bench/results/latest.json   # print a saved run again
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BACKENDS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHILD_TIMEOUT = 540  # seconds per database; the whole run must stay under 15 minutes

# Targets: (label, test on one backend's results) -> met?
TARGETS = {
    "booking": "≥ 0.8× minimal booking",
    "programme_warm": "≥ 1.5× minimal page",
    "rush": "exactly 100 booked, 0 errors",
    "email": "< 60 s",
    "dashboard": "< 1 s",
    "report": "< 1 s",
    "export": "< 200 MB",
}


def _get(data: dict, *keys, default=None):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _ratio(ours, base):
    return ours / base if ours and base else None


def _fmt(value, spec: str = ".0f", suffix: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{suffix}"


def _yes(flag) -> str:
    return "–" if flag is None else ("MET" if flag else "NOT MET")


def rows_for(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    """(measure, ours, baseline, ratio, target, met) for one backend."""
    rows = []
    for phase in ("cold", "warm"):
        for page in ("programme", "session"):
            ours = _get(r, f"pages_{phase}", page) or {}
            base = _get(r, f"pages_{phase}", "baseline_page") or {}
            ratio = _ratio(ours.get("rps"), base.get("rps"))
            target = met = ""
            if page == "programme" and phase == "warm":
                target, met = TARGETS["programme_warm"], _yes(None if ratio is None else ratio >= 1.5)
            errors = ours.get("errors") or 0
            rows.append(
                (
                    f"{page.capitalize()} page, {phase}: req/s",
                    _fmt(ours.get("rps")) + (f" ({errors} errors)" if errors else ""),
                    _fmt(base.get("rps")),
                    _fmt(ratio, ".2f", "×"),
                    target,
                    met,
                )
            )
            rows.append(
                (
                    "    p50 / p99 latency (ms)",
                    f"{_fmt(ours.get('p50_ms'), '.1f')} / {_fmt(ours.get('p99_ms'), '.1f')}",
                    f"{_fmt(base.get('p50_ms'), '.1f')} / {_fmt(base.get('p99_ms'), '.1f')}",
                    "",
                    "",
                    "",
                )
            )
    ours, base = _get(r, "booking", "ours") or {}, _get(r, "booking", "baseline") or {}
    ratio = _ratio(ours.get("bookings_per_second"), base.get("bookings_per_second"))
    booking_errors = (ours.get("server_errors") or 0) + (ours.get("other_errors") or 0)
    rows.append(
        (
            "Booking, 50 clients: bookings/s",
            _fmt(ours.get("bookings_per_second")) + (f" ({booking_errors} errors)" if booking_errors else ""),
            _fmt(base.get("bookings_per_second")),
            _fmt(ratio, ".2f", "×"),
            TARGETS["booking"],
            _yes(None if ratio is None else ratio >= 0.8),
        )
    )
    rows.append(
        (
            "    p50 / p99 latency (ms)",
            f"{_fmt(ours.get('p50_ms'), '.0f')} / {_fmt(ours.get('p99_ms'), '.0f')}",
            f"{_fmt(base.get('p50_ms'), '.0f')} / {_fmt(base.get('p99_ms'), '.0f')}",
            "",
            "",
            "",
        )
    )
    rush = r.get("rush") or {}
    errors = None if not rush else rush.get("server_errors", 0) + rush.get("other_errors", 0)
    holding = rush.get("holding_in_database")
    rows.append(
        (
            "Rush: 1,000 at once on 100 places",
            f"{_fmt(holding)} booked, {_fmt(rush.get('server_errors'))} 5xx, {_fmt(errors)} errors, "
            f"{_fmt(rush.get('seconds'), '.1f')} s"
            if rush
            else "–",
            "",
            "",
            TARGETS["rush"],
            _yes(
                None if not rush else holding == rush.get("capacity") and rush.get("booked") == holding and errors == 0
            ),
        )
    )
    email = r.get("email") or {}
    rows.append(
        (
            "Email: 10,000 reminders via worker",
            (
                f"{_fmt(email.get('delivery_seconds'), '.1f')} s, {_fmt(email.get('emails_per_second'))}/s "
                f"({email.get('received')}/{email.get('emails')}; queued in {_fmt(email.get('queue_seconds'), '.1f')} s)"
            )
            if email
            else "–",
            "",
            "",
            TARGETS["email"],
            _yes(None if not email else (not email.get("timed_out") and email.get("delivery_seconds", 999) < 60)),
        )
    )
    scale = r.get("scale") or {}
    for key, label, target in (
        ("dashboard", "Dashboard @ 100k bookings", "dashboard"),
        ("programme_report", "Programme report @ 100k", "report"),
        ("session_bookings", "Session bookings list @ 100k", "report"),
        ("session_bookings_sorted", "    sorted, page 20", "report"),
        ("session_bookings_search", "    searched", "report"),
    ):
        page = scale.get(key) or {}
        ok = page.get("statuses") == [200]
        rows.append(
            (
                label,
                f"{_fmt(page.get('median_s', None) and page['median_s'] * 1000)} ms (max {_fmt(page.get('max_s') and page['max_s'] * 1000)})"
                + ("" if ok or not page else f" status {page.get('statuses')}"),
                "",
                "",
                TARGETS[target],
                _yes(None if not page else ok and page["max_s"] < 1),
            )
        )
    before, after = scale.get("public_before") or {}, scale.get("public_after") or {}
    if before and after:
        for key, label in (
            ("week_page_rendered_ms", "Public page of a week, rendered"),
            ("programme_page_rendered_ms", "    of the programme holding them"),
            ("booking_ms", "Booking, one at a time"),
        ):
            rows.append(
                (
                    f"{label}: ms",
                    f"{_fmt(after.get(key), '.1f')} with {_fmt(after.get('bookings_in_database'), ',')} bookings stored",
                    f"{_fmt(before.get(key), '.1f')} with {_fmt(before.get('bookings_in_database'), ',')}",
                    _fmt(_ratio(after.get(key), before.get(key)), ".2f", "×"),
                    "",
                    "",
                )
            )
    export = scale.get("export") or {}
    rows.append(
        (
            "CSV export of 100k: peak memory",
            (
                f"+{_fmt(export.get('worker_rss_growth_mb'), '.1f')} MB (worker peak {_fmt(export.get('worker_peak_rss_mb'), '.0f')} MB), "
                f"{_fmt(export.get('rows'))} rows in {_fmt(export.get('seconds'), '.1f')} s"
            )
            if export
            else "–",
            "",
            "",
            TARGETS["export"],
            _yes(
                None
                if not export
                else export.get("status") == 200
                and export.get("rows", 0) >= 100_000
                and export.get("worker_rss_growth_mb", 999) < 200
            ),
        )
    )
    return rows


def table(results: dict) -> str:
    lines = []
    for backend, label in BACKENDS.items():
        r = results.get(backend)
        if r is None:
            continue
        header = ("Measure", "Ours", "Baseline", "Ratio", "Target", "Met?")
        rows = [header, *rows_for(r)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        title = f"== {label} ({r.get('started', '')}, {r.get('web_workers', '?')} web workers, {r.get('task_workers', '?')} task worker(s)) =="
        lines.append(title)
        for n, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        if r.get("error"):
            lines.append("  FAILED: " + r["error"].strip().splitlines()[-1])
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=list(BACKENDS), action="append", help="only this database (repeatable)")
    parser.add_argument("--table", type=Path, help="print the table of a saved run and stop")
    parser.add_argument("--label", default="", help="a word saved with the results, e.g. 'before'")
    parser.add_argument("--phases", default="", help="only these phases: pages,booking,rush,email,scale")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())["backends"]))
        return 0
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    began = time.monotonic()
    results = {}
    for backend in args.backend or list(BACKENDS):
        print(f"== {BACKENDS[backend]} ==", flush=True)
        out = RESULTS / f".{stamp}-{backend}.part.json"
        try:
            command = [sys.executable, str(HERE / "backend.py"), "--backend", backend, "--out", str(out)]
            subprocess.run(
                command + (["--phases", args.phases] if args.phases else []), timeout=CHILD_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            print(f"  {BACKENDS[backend]} took longer than {CHILD_TIMEOUT} s and was stopped", flush=True)
        if out.exists():
            results[backend] = json.loads(out.read_text())
            out.unlink()
        else:
            results[backend] = {"error": "no results (timed out or crashed)"}
    elapsed = time.monotonic() - began
    document = {"label": args.label, "when": stamp, "elapsed_seconds": round(elapsed), "backends": results}
    text = table(results)
    document["table"] = text
    path = RESULTS / f"{stamp}{'-' + args.label if args.label else ''}.json"
    path.write_text(json.dumps(document, indent=2, default=str))
    (RESULTS / "latest.json").write_text(json.dumps(document, indent=2, default=str))
    print()
    print(text)
    print(f"Whole run: {elapsed / 60:.1f} minutes. Results: {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
