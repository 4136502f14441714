"""A second, narrower way round the audit log's triggers (0003): anonymising.

``privacy.audit_personal_data.anonymise_audit_entries`` rewrites the personal parts of the
entries about a person whose details are removed (retention or erasure): the actor's label,
the address it acted from and the summary. Inside its window, and only there, an UPDATE that
changes nothing but those three columns is let through; every other column (when, what,
about which record, by which account) stays as written, and rows still cannot be deleted.

PostgreSQL: the transaction sets ``bookyourplace.audit_anonymise`` to 'on' (as
``audit_retention`` for removal). SQLite: a row in ``privacy_audit_anonymise_window`` inside
the same transaction, removed before commit.
"""

from django.db import migrations

# What the anonymising window may change; every other column must stay as it was.
_REWRITABLE = ("actor_label", "ip_address", "summary")
# Every column of the table (SQLite compares them one by one).
_COLUMNS = [
    "id",
    "created_at",
    "actor_id",
    "actor_label",
    "ip_address",
    "action",
    "subject_type",
    "subject_id",
    "summary",
    "programme_id",
]
_SQLITE_ACTOR_CLEARED = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in _COLUMNS if column != "actor_id")
_SQLITE_ONLY_PERSONAL_PARTS = " AND ".join(
    f'NEW."{column}" IS OLD."{column}"' for column in _COLUMNS if column not in _REWRITABLE
)
_PG_KEPT = " - ".join(["to_jsonb({row})", *(f"'{column}'" for column in _REWRITABLE)])

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('bookyourplace.audit_retention', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;  -- the account was deleted: its events keep their label
    END IF;
    %(anonymising)s
    RAISE EXCEPTION 'Audit events cannot be changed or deleted (%%).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

POSTGRES_ANONYMISING = f"""IF TG_OP = 'UPDATE' AND current_setting('bookyourplace.audit_anonymise', true) = 'on'
       AND ({_PG_KEPT.format(row="NEW")}) = ({_PG_KEPT.format(row="OLD")}) THEN
        RETURN NEW;  -- a person's details removed: only the label, address and summary change
    END IF;"""

POSTGRES_FORWARD = POSTGRES_FUNCTION % {"anonymising": POSTGRES_ANONYMISING}
POSTGRES_REVERSE = POSTGRES_FUNCTION % {"anonymising": ""}

SQLITE_FORWARD = [
    "CREATE TABLE privacy_audit_anonymise_window (opened INTEGER NOT NULL)",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    f"""CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_audit_retention_window)
     AND NOT (NEW.actor_id IS NULL AND {_SQLITE_ACTOR_CLEARED})
     AND NOT (EXISTS (SELECT 1 FROM privacy_audit_anonymise_window) AND {_SQLITE_ONLY_PERSONAL_PARTS})
    BEGIN SELECT RAISE(ABORT, 'Audit events cannot be changed.'); END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    f"""CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_audit_retention_window)
     AND NOT (NEW.actor_id IS NULL AND {_SQLITE_ACTOR_CLEARED})
    BEGIN SELECT RAISE(ABORT, 'Audit events cannot be changed.'); END""",
    "DROP TABLE IF EXISTS privacy_audit_anonymise_window",
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
        ("privacy", "0004_retention_runs"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
