"""The deployment files (Dockerfile, compose.yaml, deploy/, docs/deployment.md) checked as far
as they can be without building an image or starting systemd: they parse, run commands that
exist, name settings the service reads, and agree with scripts/serve.sh."""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from bookyourplace.core.testing import ROOT

SERVE = (ROOT / "scripts" / "serve.sh").read_text()
SETTINGS = (ROOT / "src" / "bookyourplace" / "settings.py").read_text()
GUIDE = (ROOT / "docs" / "deployment.md").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
NGINX = (ROOT / "deploy" / "nginx" / "bookyourplace.conf").read_text()
ENV_EXAMPLE = (ROOT / "deploy" / "bookyourplace.env.example").read_text()
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
# Where the units and the guide install the repository.
INSTALLED_AT = "/opt/bookyourplace"
APP_SERVICES = ("setup", "web", "worker")


def serve_roles() -> set[str]:
    """The roles scripts/serve.sh accepts (its `case` line)."""
    match = re.search(r"^\s*([a-z]+(?:\s*\|\s*[a-z]+)+)\)\s*;;", SERVE, re.M)
    assert match, "scripts/serve.sh has no case of roles"
    return {role.strip() for role in match.group(1).split("|")}


def settings_read() -> set[str]:
    """Every environment variable settings.py reads."""
    return set(re.findall(r"\b(?:env|Env\(\))\.\w+\(\s*\"([A-Z][A-Z0-9_]+)\"", SETTINGS))


def serve_reads() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", SERVE)) - {"PYTHONPATH"}


def unit_settings(path: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_serve_accepts_the_roles_the_files_run():
    assert serve_roles() == {"all", "web", "worker", "setup"}


def test_compose_runs_the_image_as_setup_web_and_worker_on_postgresql():
    services = COMPOSE["services"]

    for name in APP_SERVICES:
        assert services[name]["build"] == "."
        (role,) = services[name]["command"]
        assert role in serve_roles(), name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in services[name]["environment"]["DATABASE_URL"]
    assert services["setup"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["setup"]["condition"] == "service_completed_successfully"
    assert services["postgres"]["image"].startswith("postgres:")


def test_compose_health_checks_ask_readiness():
    web = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    worker = COMPOSE["services"]["worker"]["healthcheck"]["test"]

    assert "http://127.0.0.1:8000/readyz" in web
    assert worker[-2:] == ["manage.py", "readiness"]
    assert "readiness" in get_commands()
    # The web listens where its health check and the published port reach it.
    assert COMPOSE["services"]["web"]["environment"]["BIND"] == "0.0.0.0:8000"
    assert COMPOSE["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_dockerfile_builds_what_make_setup_builds_and_runs_serve_as_a_user():
    lock_header = (ROOT / "requirements" / "production.txt").read_text().splitlines()[1]
    python = re.search(r"Python (\d+\.\d+)", lock_header).group(1)

    assert re.findall(r"^FROM python:(\d+\.\d+)-", DOCKERFILE, re.M) == [python, python]
    assert "--require-hashes -r /tmp/production.txt" in DOCKERFILE
    assert "COPY requirements/production.txt" in DOCKERFILE
    assert "node scripts/build-assets.mjs" in DOCKERFILE
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M)
    assert 'ENTRYPOINT ["scripts/serve.sh"]' in DOCKERFILE
    assert re.search(r'^CMD \["(\w+)"\]', DOCKERFILE, re.M).group(1) in serve_roles()
    # WeasyPrint's libraries and the fonts the PDFs name.
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-liberation"):
        assert package in DOCKERFILE


def test_every_file_the_dockerfile_copies_exists_and_is_not_ignored():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"}
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            *sources, _destination = shlex.split(line)[1:]
            for source in sources:
                assert (ROOT / source).exists(), source
                assert source.split("/")[0] not in ignored, source


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_each_systemd_unit_runs_a_command_that_exists(unit):
    settings = unit_settings(unit)
    (start,) = settings["ExecStart"]
    words = shlex.split(start)
    if words[0] == "/usr/bin/env":
        words = [word for word in words[1:] if "=" not in word]
    command, *arguments = words

    assert command.startswith(INSTALLED_AT + "/")
    script = ROOT / command.removeprefix(INSTALLED_AT + "/")
    assert script.is_file() and script.stat().st_mode & 0o111, command
    assert arguments and arguments[0] in serve_roles()
    assert settings["User"] == ["bookyourplace"]
    assert settings["WorkingDirectory"] == [INSTALLED_AT]
    assert settings["EnvironmentFile"] == ["/etc/bookyourplace/bookyourplace.env"]


def test_nginx_passes_the_client_scheme_and_request_id_to_where_serve_listens():
    default_bind = re.search(r'--bind "\$\{BIND:-([\d.]+):\$\{PORT:-(\d+)\}\}"', SERVE)

    assert f"server {default_bind.group(1)}:{default_bind.group(2)}" in NGINX
    for header in (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Request-ID $request_id;",
        "proxy_set_header Host $host;",
    ):
        assert header in NGINX
    assert re.search(r"location = /metrics \{\s*return 404;", NGINX)
    # Its own log holds no path (a manage link's secret is in it).
    log_format = re.search(r"log_format bookyourplace (.*?);", NGINX, re.S).group(1)
    assert "$request_uri" not in log_format and "$request " not in log_format
    # Room for the largest upload the service accepts.
    body = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1))
    assert body * 1024 * 1024 >= 100 * 1024 * 1024


def test_every_variable_the_files_set_is_one_the_service_reads():
    read = settings_read() | serve_reads() | {"RESTORE_DATABASE_URL"}
    example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, re.M))
    compose = {name for service in APP_SERVICES for name in COMPOSE["services"][service]["environment"]}
    dockerfile = set(re.findall(r"^\s+([A-Z][A-Z0-9_]+)=", DOCKERFILE, re.M)) | set(
        re.findall(r"^ENV ([A-Z][A-Z0-9_]+)=", DOCKERFILE, re.M)
    )
    units = {name for unit in UNITS for name in re.findall(r"\b([A-Z][A-Z0-9_]+)=\S", unit.read_text())}
    outside = {"POSTGRES_PASSWORD", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "LANG"}

    for where, names in (("env example", example), ("compose", compose), ("Dockerfile", dockerfile), ("units", units)):
        assert names - read - outside == set(), where
    assert example >= {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "EMAIL_URL", "TRUSTED_PROXIES"}


def test_the_guide_documents_every_variable_the_service_reads():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", GUIDE))

    assert settings_read() - documented == set()
    assert serve_reads() - documented == set()


def test_the_guide_names_every_deployment_file_and_script():
    for path in (
        "Dockerfile",
        "compose.yaml",
        "deploy/systemd/bookyourplace-web.service",
        "deploy/systemd/bookyourplace-worker@.service",
        "deploy/nginx/bookyourplace.conf",
        "deploy/bookyourplace.env.example",
        "scripts/restore-drill.sh",
        "scripts/serve.sh",
    ):
        assert (ROOT / path).exists(), path
        assert f"`{path}`" in GUIDE or f"`{path} " in GUIDE, path
