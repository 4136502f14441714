"""Several web servers and workers share nothing but the database (and Redis, when set):
sessions in the database, the cache in Redis from CACHE_URL, files in a configurable store,
and old secret keys honoured while a new one takes over."""

import json
import socket
import subprocess
import sys
import uuid

from bookyourplace.core.testing import ROOT, production_env, unavailable

REDIS = ("127.0.0.1", 6379)


def production_settings(**env) -> dict:
    """Settings as a production process started with ``env`` reads them."""
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'caches': s.CACHES, 'session_engine': s.SESSION_ENGINE, 'storages': s.STORAGES,"
        "'media_root': str(s.MEDIA_ROOT), 'fallbacks': s.SECRET_KEY_FALLBACKS,"
        "'server_side_cursors': not s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS')}))"
    )
    return json.loads(run_in_production(script, **env).strip().splitlines()[-1])


def run_in_production(script: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def test_sessions_are_kept_in_the_database_not_in_a_process():
    assert production_settings()["session_engine"] == "django.contrib.sessions.backends.db"


def test_cache_url_redis_uses_djangos_own_redis_backend_for_pages_and_rate_limits():
    caches = production_settings(CACHE_URL="redis://10.0.0.5:6379/2")["caches"]

    for alias in ("default", "rate_limits"):
        assert caches[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert caches[alias]["LOCATION"] == "redis://10.0.0.5:6379/2"
        # A Redis that stops answering costs a second, not a hung request.
        assert caches[alias]["OPTIONS"]["socket_timeout"] == 1
    assert caches["default"]["KEY_PREFIX"] != caches["rate_limits"]["KEY_PREFIX"]


def test_two_processes_count_one_rate_limit_in_redis():
    if not redis_reachable():
        unavailable("Redis is not running on 127.0.0.1:6379")
    address = f"192.0.2.{uuid.uuid4().int % 250}"
    script = (
        "from bookyourplace.core.rate_limits import hit; "
        f"print([hit('booking_per_email', '{address}-{uuid.uuid4().hex}') for _ in range(12)])"
    )
    env = {"CACHE_URL": "redis://127.0.0.1:6379/15", "BYP_RATE_LIMIT_BOOKING_PER_EMAIL": "20/10m"}

    first = run_in_production(script, **env)
    second = run_in_production(script, **env)

    assert "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]" in first  # 12 of 20 in the first process
    waits = json.loads(second.strip().splitlines()[-1])
    assert waits[:8] == [0] * 8 and all(wait > 0 for wait in waits[8:])  # the other 8, then refused


def test_files_go_to_the_store_the_environment_names():
    default = production_settings()
    chosen = production_settings(
        MEDIA_ROOT="/srv/shared/bookyourplace-media",
        BYP_FILE_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        BYP_FILE_STORAGE_OPTIONS='{"location": "/srv/shared/bookyourplace-media", "file_permissions_mode": 416}',
    )

    assert default["media_root"].endswith("/media")
    assert chosen["media_root"] == "/srv/shared/bookyourplace-media"
    assert chosen["storages"]["default"]["OPTIONS"]["file_permissions_mode"] == 416


def test_old_secret_keys_come_from_the_environment():
    assert production_settings()["fallbacks"] == []
    assert production_settings(SECRET_KEY_FALLBACKS="old-key-one,old-key-two")["fallbacks"] == [
        "old-key-one",
        "old-key-two",
    ]


def test_behind_pgbouncer_in_transaction_mode_no_server_side_cursor_is_used():
    postgres = "postgres://bookyourplace@10.0.0.7:6432/bookyourplace"  # never connected to here

    assert production_settings(DATABASE_URL=postgres)["server_side_cursors"] is True
    assert production_settings(DATABASE_URL=postgres, DATABASE_TRANSACTION_POOLING="1")["server_side_cursors"] is False
