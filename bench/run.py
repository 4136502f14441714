"""`make bench`: Book Your Place under load, as production runs it, on PostgreSQL then SQLite.

Prints one table and writes it, with every raw figure, to bench/results/<time>.json (and
latest.json). See the README, "Benchmark: make bench", for what is measured and the targets.

    .venv/bin/python bench/run.py                       # both databases
    .venv/bin/python bench/run.py --backend sqlite      # one
    .venv/bin/python bench/run.py --phases scale-out    # only two servers behind a balancer
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
# Seconds per database. The launch (2.5 to 4 minutes) and the memory rounds (about 1) came
# on top of 3 minutes; the timeout only stops a run that hangs.
CHILD_TIMEOUT = 900
MEMORY_GROWTH_MB = 2  # resident memory kept from the first round of bookings to the last
# The scale-out run (bench/scale_out.py, PostgreSQL only): about 1.5 minutes, most of it the
# two servers starting (each collects its static files); stopped with SIGTERM past this.
SCALE_OUT_TIMEOUT = 300
SCALE_OUT = "scale-out"

# Targets: (label, test on one backend's results) -> met?
TARGETS = {
    "cycle": "≥ 0.5× bare Django",
    "booking": "≥ 0.8× minimal booking",
    "programme_warm": "≥ 1.5× minimal page",
    "rush": "all answered, p99 < 3 s, exactly 100 confirmed",
    "launch": "all 0",
    "launch_step": "p99 < 500 ms",
    "launch_emails": "all sent < 120 s after",
    "memory": f"< {MEMORY_GROWTH_MB} MB per process",
    "email": "< 60 s",
    "dashboard": "< 1 s",
    "report": "< 1 s",
    "report_pdf": "< 3 s",  # a printable download: figures, then WeasyPrint lays out every page
    "export": "< 200 MB",
    "teams_import": "< 2 s",
    "register_tick": "< 100 ms",
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


def cycle_rows(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    """The booking cycle (bench/cycle.py): ours against the bare Django project."""
    ours, bare = _get(r, "cycle", "ours") or {}, _get(r, "cycle", "bare") or {}
    ratio = _ratio(ours.get("cycles_per_second"), bare.get("cycles_per_second"))

    def errors(side: dict) -> str:
        return f" ({side['errors']} errors)" if side.get("errors") else ""

    def steps(side: dict, *keys: str, spec: str = ".0f") -> str:
        return " / ".join(_fmt(side.get(key), spec) for key in keys)

    def cpu(side: dict) -> str:
        per_cycle = side.get("cpu_ms_per_cycle")
        if not per_cycle:
            return "–"
        database = _fmt(per_cycle.get("database"), ".1f") if r.get("backend") != "sqlite" else "in web"
        return f"{_fmt(per_cycle.get('web'), '.1f')} / {_fmt(per_cycle.get('worker'), '.1f')} / {database}"

    return [
        (
            "Booking cycle, 50 clients: cycles/s",
            _fmt(ours.get("cycles_per_second")) + errors(ours),
            _fmt(bare.get("cycles_per_second")) + errors(bare),
            _fmt(ratio, ".2f", "×"),
            TARGETS["cycle"],
            _yes(None if ratio is None else ratio >= 0.5),
        ),
        (
            "    POST p50 / p99 (ms)",
            steps(ours, "post_p50_ms", "post_p99_ms"),
            steps(bare, "post_p50_ms", "post_p99_ms"),
            "",
            "",
            "",
        ),
        (
            "    p99 of GET form / confirmation (ms)",
            steps(ours, "form_p99_ms", "confirmation_p99_ms"),
            steps(bare, "form_p99_ms", "confirmation_p99_ms"),
            "",
            "",
            "",
        ),
        (
            "One client: GET form / POST+confirmation (ms)",
            steps(ours.get("one_client") or {}, "form_ms", "post_and_confirmation_ms", spec=".1f"),
            steps(bare.get("one_client") or {}, "form_ms", "post_and_confirmation_ms", spec=".1f"),
            "",
            "",
            "",
        ),
        ("CPU per cycle: web / worker / database (ms)", cpu(ours), cpu(bare), "", "", ""),
    ]


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
    if r.get("cycle"):
        rows += cycle_rows(r)
    ours, base = _get(r, "booking", "ours") or {}, _get(r, "booking", "baseline") or {}
    ratio = _ratio(ours.get("bookings_per_second"), base.get("bookings_per_second"))
    booking_errors = (ours.get("server_errors") or 0) + (ours.get("other_errors") or 0)
    rows.append(
        (
            "Booking, in-stack baseline (old): bookings/s",
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
    confirmed = rush.get("confirmed_in_database", holding)  # runs before it was counted: all held were confirmed
    p99 = rush.get("p99_ms")
    rows.append(
        (
            "Rush: 1,000 at once on 100 places",
            f"{_fmt(confirmed)} confirmed, {_fmt(rush.get('server_errors'))} 5xx, {_fmt(errors)} errors, "
            f"p99 {_fmt(p99 and p99 / 1000, '.1f')} s, all in {_fmt(rush.get('seconds'), '.1f')} s"
            if rush
            else "–",
            "",
            "",
            TARGETS["rush"],
            _yes(
                None
                if not rush
                # Answered: confirmed or told "fully booked" (errors count timeouts and no answer).
                else holding == confirmed == rush.get("booked") == rush.get("capacity")
                and errors == 0
                and p99 is not None
                and p99 < 3000
            ),
        )
    )
    rows += launch_rows(r) + memory_rows(r)
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
        ("reports", "Reports page @ 100k", "report"),
        ("evaluation_summary", "Prevent evaluation summary @ 100k", "report"),
        ("report_pdf", "Report PDF (50 sessions) @ 100k", "report_pdf"),
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
                _yes(None if not page else ok and page["max_s"] < (3 if target == "report_pdf" else 1)),
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
    return rows + attendance_rows(r)


def attendance_rows(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    """After a session (bench/attendance.py): server-side time, measured in-process."""
    teams = _get(r, "attendance", "teams_import") or {}
    tick = _get(r, "attendance", "register_tick") or {}

    def p50_p99(part: dict, spec: str) -> str:
        if not part or part.get("error") or part.get("skipped"):
            return part.get("error") or part.get("skipped") or "–"
        return f"p50 {_fmt(part.get('p50_ms'), spec)} / p99 {_fmt(part.get('p99_ms'), spec)} ms (in-process)"

    return [
        (
            "Teams report, 1,000 people: read + preview",
            p50_p99(teams, ".0f"),
            "",
            "",
            TARGETS["teams_import"],
            _yes(teams.get("met") if "met" in teams else None),
        ),
        (
            "Live register of 300: one tick",
            p50_p99(tick, ".1f"),
            "",
            "",
            TARGETS["register_tick"],
            _yes(tick.get("met") if "met" in tick else None),
        ),
    ]


def launch_rows(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    """The Prevent Week launch (bench/launch.py): open-loop arrivals on six sessions."""
    launch = r.get("launch")
    if not launch:
        return [("Launch: Prevent Week opens", "–", "", "", TARGETS["launch"], "–")]
    held = launch.get("database") or {}
    outcomes = launch.get("outcomes") or {}
    answered = launch.get("not_answered") == 0 and not outcomes.get("error")
    rows = [
        (
            f"Launch: {launch['people']:,} people in {launch['arrival_seconds']:.0f} s, "
            f"{_fmt(launch.get('capacity'), ',')} places",
            f"{_fmt(held.get('confirmed'), ',')} confirmed, {_fmt(held.get('waiting'), ',')} waiting, "
            f"{outcomes.get('refused', 0)} refused",
            "",
            "",
            "",
            "",
        ),
        (
            "    5xx / other errors / not answered / overbooked",
            f"{launch['server_errors']} / {outcomes.get('error', 0)} / {launch['not_answered']} / "
            f"{_fmt(held.get('overbooked'))}",
            "",
            "",
            TARGETS["launch"],
            _yes(answered and launch["server_errors"] == 0 and held.get("overbooked") == 0),
        ),
    ]
    for step, label in (
        ("programme", "programme page"),
        ("session", "session page"),
        ("form", "booking form (GET)"),
        ("booking", "booking (POST, its page)"),
    ):
        measured = (launch.get("steps") or {}).get(step) or {}
        p99 = measured.get("p99_ms")
        rows.append(
            (
                f"    {label}: p50 / p99 (ms)",
                f"{_fmt(measured.get('p50_ms'))} / {_fmt(p99)} ({_fmt(measured.get('count'), ',')} answers)",
                "",
                "",
                TARGETS["launch_step"],
                _yes(None if p99 is None else p99 < 500 and answered),
            )
        )
    emails = launch.get("emails") or {}
    by_status = emails.get("by_status") or {}
    rows.append(
        (
            "    emails sent after the last booking",
            f"{_fmt(emails.get('seconds_after_last_booking'), '.1f')} s "
            f"({by_status.get('sent', 0):,} of {_fmt(emails.get('emails'), ',')} sent)",
            "",
            "",
            TARGETS["launch_emails"],
            _yes(launch.get("emails_met")),
        )
    )
    lag = launch.get("arrival_lag_ms") or {}
    rows.append(
        (
            "    machine busy; load generator",
            f"{_fmt((launch.get('machine_busy') or 0) * 100)}% of 2 cores; generator "
            f"{_fmt((launch.get('generator_cpu_share') or 0) * 100)}% of a core, "
            f"arrival lag p99 {_fmt(lag.get('p99'))} ms",
            "",
            "",
            "",
            "",
        )
    )
    memory = launch.get("resident_mb_after") or {}
    rows.append(("    resident memory after (MB)", _by_process(memory, "{:.0f}"), "", "", "", ""))
    return rows


def _by_process(values: dict, spec: str) -> str:
    """The figures grouped by kind of process: "web 80, 81; worker 70" from
    {"web 1": 80, "web 2": 81, "worker 1": 70}."""
    groups: dict[str, list[str]] = {}
    for name, value in values.items():
        groups.setdefault(name.split()[0], []).append("–" if value is None else spec.format(value))
    return "; ".join(f"{group} {', '.join(items)}" for group, items in groups.items()) or "–"


def memory_rows(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    memory = r.get("memory")
    if not memory:
        return []
    growth = memory.get("growth_mb") or {}
    rounds = len(memory.get("rounds") or []) - 1
    return [
        (
            f"Memory: {rounds} rounds of {memory.get('people_per_round', 0):,} people, growth (MB)",
            _by_process(growth, "{:+.1f}"),
            "",
            "",
            TARGETS["memory"],
            _yes(None if not growth else all(g is not None and g < MEMORY_GROWTH_MB for g in growth.values())),
        )
    ]


def scale_out_rows(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Two web servers behind the balancer, two task workers, one PostgreSQL (bench/scale_out.py)."""
    if not r.get("held"):
        return [("Rush through the balancer", "–", "", "", "", "–")]
    held, emails = r["held"], r.get("emails") or {}
    answered = list((r.get("answered_by_server") or {}).values())
    total = sum(answered) or 1
    lat = r.get("latency_ms") or {}
    workers = r.get("delivery_runs_by_worker") or {}
    cpu = r.get("cpu_ms") or {}
    people, capacity = r.get("people", 0), r.get("capacity", 0)
    return [
        (
            f"Rush through the balancer: {people:,} at once on {capacity} places",
            f"{_fmt(r.get('confirmed_in_database'))} confirmed ({_fmt(r.get('holding_in_database'))} held, "
            f"{_fmt(r.get('bookings_in_database'))} bookings), {_fmt(r.get('refused'))} refused",
            "",
            "",
            f"exactly {capacity} confirmed, the rest refused",
            _yes(held.get("exactly_capacity") and held.get("others_refused")),
        ),
        (
            "    5xx / other errors / not reached by the balancer",
            f"{_fmt(r.get('server_errors'))} / {_fmt(r.get('other_errors'))} / {sum((r.get('unreachable') or {}).values())}",
            "",
            "",
            "all 0",
            _yes(held.get("no_errors")),
        ),
        (
            "    answered by server 1 / server 2",
            " / ".join(f"{n} ({n / total:.0%})" for n in answered)
            + f"; their access logs {' / '.join(str(n) for n in r.get('access_log_posts_by_server') or [])}",
            "",
            "",
            "both take part",
            _yes(held.get("both_servers")),
        ),
        (
            "    p50 / p99 / slowest answer; all answered in",
            f"{_fmt((lat.get('p50') or 0) / 1000, '.1f')} / {_fmt((lat.get('p99') or 0) / 1000, '.1f')} / "
            f"{_fmt((lat.get('max') or 0) / 1000, '.1f')} s; {_fmt(r.get('seconds'), '.1f')} s",
            "",
            "",
            "(shown)",
            "",
        ),
        (
            "Confirmation emails, two task workers",
            f"{_fmt(emails.get('received_once'))} of {_fmt(emails.get('expected'))} received once, "
            f"{len(emails.get('more_than_once') or {})} twice, {len(emails.get('not_booked_but_received') or [])} "
            f"to people refused; outbox {emails.get('outbox_by_status')}",
            "",
            "",
            "each booked person exactly once",
            _yes(held.get("emails_once")),
        ),
        (
            "    all received; last sent after the last booking",
            f"{_fmt(emails.get('all_arrived_seconds_after_rush'), '.1f')} s after the rush; "
            f"{_fmt(emails.get('last_sent_after_last_booking_seconds'), '.1f')} s",
            "",
            "",
            f"< {_fmt(emails.get('limit_seconds'))} s after the rush",
            "",
        ),
        (
            "    sent by each task worker (delivery runs)",
            " / ".join(f"{w['sent']} ({w['runs']})" for w in workers.values()) or "–",
            "",
            "",
            "",
            "",
        ),
        (
            "    CPU during the rush (s)",
            _by_process({name: ms / 1000 if ms is not None else None for name, ms in cpu.items()}, "{:.1f}")
            + f"; machine {_fmt((r.get('machine_busy') or 0) * 100)}% busy of {r.get('cores', '?')} cores",
            "",
            "",
            "",
            "",
        ),
    ]


def _rows_text(title: str, rows: list[tuple[str, str, str, str, str, str]], error: str | None) -> list[str]:
    header = ("Measure", "Ours", "Baseline", "Ratio", "Target", "Met?")
    rows = [header, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [title]
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    if error:
        lines.append("  FAILED: " + error.strip().splitlines()[-1])
    lines.append("")
    return lines


def scale_out_table(r: dict) -> str:
    title = (
        f"== Scale-out: PostgreSQL ({r.get('started', '')}), {r.get('servers', '?')} web servers of "
        f"{r.get('web_workers_per_server', '?')} gunicorn workers behind a balancer, "
        f"{r.get('servers', '?')} task workers, cache {str(r.get('cache_backend', '?')).rsplit('.', 1)[-1]} =="
    )
    return "\n".join(_rows_text(title, scale_out_rows(r), r.get("error")))


def table(results: dict, scale_out: dict | None = None) -> str:
    lines = []
    for backend, label in BACKENDS.items():
        r = results.get(backend)
        if r is None:
            continue
        title = f"== {label} ({r.get('started', '')}, {r.get('web_workers', '?')} web workers, {r.get('task_workers', '?')} task worker(s)) =="
        lines += _rows_text(title, rows_for(r), r.get("error"))
    if scale_out is not None:
        lines.append(scale_out_table(scale_out))
    return "\n".join(lines)


def run_scale_out_child(out: Path) -> dict:
    """bench/scale_out.py in a process of its own; past SCALE_OUT_TIMEOUT it is sent SIGTERM
    (it then stops every process it started and drops its database), and killed only if
    that does not end it within a minute."""
    print("== Scale-out: two web servers, two task workers, one PostgreSQL ==", flush=True)
    child = subprocess.Popen([sys.executable, str(HERE / "scale_out.py"), "--out", str(out)])
    try:
        child.wait(timeout=SCALE_OUT_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"  The scale-out run took longer than {SCALE_OUT_TIMEOUT} s and was stopped", flush=True)
        child.terminate()
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if not out.exists():
        return {"error": "no results (timed out or crashed)"}
    result = json.loads(out.read_text())
    out.unlink()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=list(BACKENDS), action="append", help="only this database (repeatable)")
    parser.add_argument("--table", type=Path, help="print the table of a saved run and stop")
    parser.add_argument("--label", default="", help="a word saved with the results, e.g. 'before'")
    parser.add_argument(
        "--phases",
        default="",
        help="only these phases: pages,cycle,booking,rush,launch,memory,email,scale,attendance, and scale-out "
        "(two web servers behind a balancer and two task workers on PostgreSQL, after the databases' runs)",
    )
    args = parser.parse_args()
    if args.table:
        saved = json.loads(args.table.read_text())
        print(table(saved["backends"], saved.get("scale_out")))
        return 0
    phases = [phase for phase in args.phases.split(",") if phase]
    backend_phases = ",".join(phase for phase in phases if phase != SCALE_OUT)
    backends = args.backend or list(BACKENDS)
    run_backends = not phases or bool(backend_phases)
    run_scale_out = (not phases or SCALE_OUT in phases) and "postgresql" in backends
    if SCALE_OUT in phases and not run_scale_out:
        print("The scale-out run needs PostgreSQL: add --backend postgresql", flush=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    began = time.monotonic()
    results = {}
    for backend in backends if run_backends else []:
        print(f"== {BACKENDS[backend]} ==", flush=True)
        out = RESULTS / f".{stamp}-{backend}.part.json"
        try:
            command = [sys.executable, str(HERE / "backend.py"), "--backend", backend, "--out", str(out)]
            subprocess.run(
                command + (["--phases", backend_phases] if backend_phases else []), timeout=CHILD_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            print(f"  {BACKENDS[backend]} took longer than {CHILD_TIMEOUT} s and was stopped", flush=True)
        if out.exists():
            results[backend] = json.loads(out.read_text())
            out.unlink()
        else:
            results[backend] = {"error": "no results (timed out or crashed)"}
    scale_out = run_scale_out_child(RESULTS / f".{stamp}-scale-out.part.json") if run_scale_out else None
    elapsed = time.monotonic() - began
    document = {"label": args.label, "when": stamp, "elapsed_seconds": round(elapsed), "backends": results}
    if scale_out is not None:
        document["scale_out"] = scale_out
    text = table(results, scale_out)
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
