"""The restore drill (docs/deployment.md, "Backups"): a pg_dump backup of a database with a
programme, its sessions, bookings, emails and audit entries, restored by
scripts/restore-drill.sh into a new database, holds every row, and its audit log still
refuses changes."""

import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from bookyourplace.core.testing import ROOT, database_url, production_env, unavailable


def url_of(database: str) -> str:
    return database_url(connection.settings_dict, name=database)


def rows_in_every_table(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        tables = [name for (name,) in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def query(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        return db.execute(sql).fetchall()


SOME_VALUES = {
    "bookings": "SELECT b.email, b.status, s.title FROM bookings_booking b "
    "JOIN programmes_session s ON s.id = b.session_id ORDER BY b.id",
    "sessions": "SELECT title, capacity, starts_at FROM programmes_session ORDER BY id",
    "audit": "SELECT action, summary, created_at FROM privacy_auditevent ORDER BY id",
    "emails": "SELECT kind, status FROM notifications_email ORDER BY id",
}


@pytest.mark.postgres_only
def test_a_backup_restored_by_the_drill_holds_every_row(transactional_db, attendees, make_session, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the drill restores a pg_dump backup")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (apt-get install postgresql-client)")

    # Arrange: the live database (the fixture's three bookings, their emails and audit
    # entries) with a second session, backed up as the guide says
    make_session(title="Spotting Radicalisation Online", capacity=40)
    live = url_of(connection.settings_dict["NAME"])
    backup = tmp_path / "bookyourplace.dump"
    subprocess.run(["pg_dump", "--format=custom", "--dbname", live, "--file", str(backup)], check=True, timeout=120)
    scratch_name = f"{connection.settings_dict['NAME']}_drill"
    scratch = url_of(scratch_name)

    try:
        # Act
        drill = subprocess.run(
            [str(ROOT / "scripts" / "restore-drill.sh"), "--keep", str(backup)],
            env=production_env(RESTORE_DATABASE_URL=scratch),
            capture_output=True,
            text=True,
            timeout=300,
        )

        # Assert: every table has every row, and the rows say what they said
        assert drill.returncode == 0, drill.stdout + drill.stderr
        assert "Restore drill passed" in drill.stdout
        live_rows = rows_in_every_table(live)
        assert rows_in_every_table(scratch) == live_rows
        assert live_rows["bookings_booking"] == 3 and live_rows["programmes_session"] == 2
        assert live_rows["privacy_auditevent"] >= 3 and live_rows["notifications_email"] == 3
        assert "rows bookings_booking 3" in drill.stdout.splitlines()
        for name, sql in SOME_VALUES.items():
            assert query(scratch, sql) == query(live, sql), name
        # The audit log is append-only in the restored database too.
        triggers = query(scratch, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'privacy_auditevent'::regclass")
        assert ("privacy_auditevent_append_only",) in triggers
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="Audit events cannot be changed"):
            query(scratch, "DELETE FROM privacy_auditevent")
    finally:
        with psycopg.connect(url_of("postgres").replace("postgres://", "postgresql://", 1), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')


@pytest.mark.postgres_only
def test_the_drill_never_restores_over_an_existing_database(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the drill restores a pg_dump backup")
    if shutil.which("psql") is None:
        unavailable("psql is not installed (apt-get install postgresql-client)")
    backup = tmp_path / "bookyourplace.dump"
    backup.write_bytes(b"not read: the drill stops first")
    live_rows = rows_in_every_table(url_of(connection.settings_dict["NAME"]))

    drill = subprocess.run(
        [str(ROOT / "scripts" / "restore-drill.sh"), str(backup)],
        env=production_env(RESTORE_DATABASE_URL=url_of(connection.settings_dict["NAME"])),  # the live one
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert drill.returncode == 1
    assert "already exists" in drill.stderr
    assert rows_in_every_table(url_of(connection.settings_dict["NAME"])) == live_rows
