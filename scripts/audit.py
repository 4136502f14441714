"""`make audit`: check the lock files against the advisory database with pip-audit.

Usage: python scripts/audit.py requirements/production.txt [requirements/test.txt ...]
(run with the tools' Python, which has pip-audit: see the Makefile).

pip-audit asks PyPI for each pinned release's known vulnerabilities. Where that data cannot
be reached (no network, or a mirror that serves packages but not the release JSON), pip-audit
skips every package and still says "No known vulnerabilities found". That is not a pass: this
says in one line that nothing could be checked and exits 0, so `make audit` can run anywhere.
Exits 1 when a known vulnerability is found, or when pip-audit fails for another reason.
"""

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

UNREACHABLE = (
    "make audit: the advisory database (PyPI's vulnerability data) cannot be reached from here; nothing was checked."
)


def pypi_reachable() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=15) as response:
            return response.status == 200
    except OSError:
        return False


def audit(lock_file: str) -> int | None:
    """0 clean, 1 vulnerable or failed, None when the advisory data could not be reached."""
    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "report.json"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--disable-pip",
                "--require-hashes",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report_path),
                "--requirement",
                lock_file,
            ],
            capture_output=True,
            text=True,
        )
        if not report_path.exists():
            if not pypi_reachable():
                return None
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        report = json.loads(report_path.read_text())
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if dependencies and not audited:
        return None
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"{lock_file}: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    if skipped:
        print(f"{lock_file}: not checked (no advisory data): {', '.join(skipped)}")
    if not vulnerable:
        print(f"{lock_file}: {len(audited)} packages checked, no known vulnerabilities")
    return 1 if vulnerable or result.returncode not in (0, 1) else 0


def main(lock_files: list[str]) -> int:
    outcomes = [audit(lock_file) for lock_file in lock_files]
    if all(outcome is None for outcome in outcomes):
        print(UNREACHABLE)
        return 0
    for lock_file, outcome in zip(lock_files, outcomes, strict=True):
        if outcome is None:
            print(f"{lock_file}: the advisory database could not be reached; not checked")
    return 1 if any(outcome == 1 for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements/production.txt", "requirements/test.txt"]))
