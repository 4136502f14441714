"""Where one booking cycle's time goes, as a person books: `.venv/bin/python bench/profile_cycle.py`.

In one process, no HTTP, production settings, on a fresh database (as where_time_goes.py):
GET the booking form, POST it (a new address each time), GET the page it redirects to.
Prints the median of each step, then profiles the cycles with pyinstrument and writes the
profile beside the benchmark's results: bench/results/profile-cycle-<database>.html (open
it in a browser: a flame graph) and .txt.

    .venv/bin/python bench/profile_cycle.py --backend sqlite --cycles 300
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src"), str(HERE.parent)]

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cycles", type=int, default=300, help="cycles timed")
    parser.add_argument(
        "--profiled", type=int, default=100, help="cycles profiled (the flame graph's size grows with them)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()

    import where_time_goes

    where_time_goes.setup(args.backend, Path(tempfile.mkdtemp()), smtp_port=2525)
    from backend import Data
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    call_command("collectstatic", interactive=False, verbosity=0)
    data = Data()
    programme = data.programme("profile-cycle", "Profile")
    session = data.session(programme, "A briefing", data.now + timedelta(days=30), capacity=10**6)
    form_path = f"/programmes/{programme.slug}/sessions/{session.pk}/book/"
    # One client for the run, as one gunicorn process serves many people (a new Client would
    # load the middleware again); its cookies are cleared so each cycle is a new visitor.
    client = Client(HTTP_X_FORWARDED_PROTO="https", secure=True)
    serial = iter(range(10**9))

    def cycle() -> tuple[float, float, float]:
        client.cookies.clear()
        began = time.perf_counter()
        form = client.get(form_path)
        token = TOKEN.search(form.content).group(1).decode()
        got_form = time.perf_counter()
        fields = {
            "csrfmiddlewaretoken": token,
            "first_name": "Sam",
            "last_name": "Bench",
            "email": f"person{next(serial)}@bench.example",
            "organisation": "Coventry City Council",
            "sector": "schools",
            "job_title": "Teacher",
            "consent": "yes",
        }
        posted = client.post(form_path, fields)
        if posted.status_code != 302:
            raise RuntimeError(f"the booking answered {posted.status_code}")
        booked = time.perf_counter()
        if client.get(posted["Location"]).status_code != 200:
            raise RuntimeError("the confirmation page did not answer 200")
        return got_form - began, booked - got_form, time.perf_counter() - booked

    for _ in range(30):  # warm up: imports, templates, connections, caches
        cycle()
    steps = list(zip(*(cycle() for _ in range(args.cycles)), strict=True))
    medians = [statistics.median(step) * 1000 for step in steps]
    print(
        f"{args.backend}: GET form {medians[0]:.2f} ms, POST {medians[1]:.2f} ms, "
        f"confirmation {medians[2]:.2f} ms (median of {args.cycles})"
    )
    profiler = Profiler(interval=0.002)
    profiler.start()
    for _ in range(args.profiled):
        cycle()
    profiler.stop()
    args.out.mkdir(exist_ok=True)
    stem = args.out / f"profile-cycle-{args.backend}"
    stem.with_suffix(".html").write_text(profiler.output_html())
    stem.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False))
    print(f"profile: {stem}.html, {stem}.txt")


if __name__ == "__main__":
    main()
