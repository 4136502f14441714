"""The audit log is append-only in the database itself, not only in the model.

Triggers refuse UPDATE and DELETE of audit rows whatever the path (QuerySet.update(), raw
SQL, a shell). Two exceptions:

- Deleting a back-office account sets ``actor`` to NULL on its events (the label still says
  who it was): an UPDATE that changes nothing but ``actor_id`` to NULL is let through.
- Retention: ``privacy.services.purge_audit_events_before`` opens a window for its own
  transaction only. On PostgreSQL it sets ``bookyourplace.audit_retention`` to 'on' for the
  transaction (``set_config(..., true)``); SQLite has no session variables, so it writes a
  row into ``privacy_audit_retention_window`` inside the same transaction and removes it
  before commit, and the triggers let rows go while that row exists (no other connection
  can see it).

TRUNCATE (PostgreSQL) does not fire row triggers: it needs the table's owner, and is what
the test suite's flush uses.

On SQLite, a later migration that rebuilds the table (SQLite's way of altering most
columns) drops these triggers: privacy/tests/test_audit_append_only.py fails then, and the
triggers must be created again in that migration.
"""

from django.db import migrations

# Every column but actor_id, for SQLite's "only actor_id went to NULL" check (PostgreSQL
# compares whole rows instead, so a new column is covered there without a change).
_COLUMNS = [
    "id",
    "created_at",
    "actor_label",
    "ip_address",
    "action",
    "subject_type",
    "subject_id",
    "summary",
    "programme_id",
]

POSTGRES_FORWARD = """
CREATE FUNCTION privacy_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('bookyourplace.audit_retention', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;  -- the account was deleted: its events keep their label
    END IF;
    RAISE EXCEPTION 'Audit events cannot be changed or deleted (%).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER privacy_auditevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS privacy_auditevent_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_auditevent_append_only();
"""

_UNCHANGED_BUT_ACTOR = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in _COLUMNS)

SQLITE_FORWARD = [
    "CREATE TABLE privacy_audit_retention_window (opened INTEGER NOT NULL)",
    f"""CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_audit_retention_window)
     AND NOT (NEW.actor_id IS NULL AND {_UNCHANGED_BUT_ACTOR})
    BEGIN SELECT RAISE(ABORT, 'Audit events cannot be changed.'); END""",
    """CREATE TRIGGER privacy_auditevent_no_delete BEFORE DELETE ON privacy_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_audit_retention_window)
    BEGIN SELECT RAISE(ABORT, 'Audit events cannot be deleted.'); END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    "DROP TABLE IF EXISTS privacy_audit_retention_window",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return  # another database: the model's QuerySet guard is all there is
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_alter_auditevent_action"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
