"""Triggers that note, in `reports_toucheddays`, the days whose figures a write changes: on
every table a figure is counted from (`reports.kpis`). In the database, so that no write
escapes the rollups: bulk updates, merges, COPY and raw SQL included.

A timestamp's day is taken one day wide on each side (the figures' days are local, the stored
times UTC). An update is noted only when a column the figures read changes. A case's opening or
closing changes the open cases of every later period (no last day); a case moved to another
office or person changes its sessions', outcomes', surveys' and referrals' figures on any day.
PostgreSQL: one row per statement (transition tables); SQLite: one per row."""

# ruff: noqa: S608 - the SQL is built from the constants below, never from input

from django.db import migrations

EVER = "1900-01-01"

# table: (the dates its rows count on, the columns figures read)
TABLES = {
    "cases_session": (
        ["started_at"],
        ["started_at", "office_id", "person_id", "case_id", "duration_minutes", "advisor_id"],
    ),
    "cases_outcome": (
        ["occurred_on"],
        ["occurred_on", "kind", "verification", "amount", "jobs_fte", "case_id"],
    ),
    "cases_surveyresponse": (["answered_at"], ["answered_at", "score", "office_id", "case_id"]),
    "cases_referral": (
        ["created_at"],
        ["created_at", "status", "responded_at", "from_office_id", "case_id"],
    ),
    "crm_person": (["created_at"], ["created_at", "office_id"]),
}
# A session also changes the waiting time of its case's opening period.
SESSION_CASE_OPENED = "(SELECT c.opened_at FROM cases_case c WHERE c.id = {row}.case_id)"


def _pg_days(table: str, rows: str) -> str:
    dates, _columns = TABLES[table]
    days = [f"SELECT ({rows}.{name})::date AS d FROM {rows}" for name in dates]
    if table == "cases_session":
        days.append(f"SELECT {SESSION_CASE_OPENED.format(row=rows)}::date FROM {rows}")
    return " UNION ALL ".join(days)


def _pg_insert(days_sql: str) -> str:
    return (
        "INSERT INTO reports_toucheddays (first, last) "
        f"SELECT min(d) - 1, max(d) + 1 FROM ({days_sql}) AS days WHERE d IS NOT NULL "
        "HAVING count(*) > 0;"
    )


def _pg_changed(columns: list[str]) -> str:
    """The rows of an update whose figures' columns changed, old and new side by side."""
    old = ", ".join(f"o.{name}" for name in columns)
    new = ", ".join(f"n.{name}" for name in columns)
    return f"old_rows o JOIN new_rows n ON n.id = o.id WHERE ({old}) IS DISTINCT FROM ({new})"


def _pg_function(table: str) -> str:
    _dates, columns = TABLES[table]
    changed_old = f"(SELECT o.* FROM {_pg_changed(columns)})"
    changed_new = f"(SELECT n.* FROM {_pg_changed(columns)})"
    return f"""
CREATE OR REPLACE FUNCTION reports_touch_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_pg_insert(_pg_days(table, "new_rows"))}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_insert(_pg_days(table, "old_rows"))}
  ELSE
    {_pg_update_days(table, changed_old, changed_new)}
  END IF;
  RETURN NULL;
END $$;
"""


def _pg_update_days(table: str, changed_old: str, changed_new: str) -> str:
    dates, _columns = TABLES[table]
    days = []
    for side in (changed_old, changed_new):
        for name in dates:
            days.append(f"SELECT (r.{name})::date AS d FROM {side} AS r")
        if table == "cases_session":
            days.append(f"SELECT {SESSION_CASE_OPENED.format(row='r')}::date FROM {side} AS r")
    return _pg_insert(" UNION ALL ".join(days))


PG_CASES = f"""
CREATE OR REPLACE FUNCTION reports_touch_cases_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO reports_toucheddays (first, last)
    SELECT min(opened_at)::date - 1, NULL FROM new_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO reports_toucheddays (first, last)
    SELECT DATE '{EVER}', NULL FROM old_rows HAVING count(*) > 0;
  ELSE
    INSERT INTO reports_toucheddays (first, last)
    SELECT min(CASE WHEN (o.office_id, o.person_id) IS DISTINCT FROM (n.office_id, n.person_id)
                    THEN DATE '{EVER}'
                    ELSE least(o.opened_at, n.opened_at)::date - 1 END), NULL
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.office_id, o.person_id, o.opened_at, o.closed_at)
          IS DISTINCT FROM (n.office_id, n.person_id, n.opened_at, n.closed_at)
    HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;
"""


def _pg_triggers(table: str) -> list[str]:
    function = f"reports_touch_{table}()"
    return [
        f"CREATE TRIGGER reports_touch_ins AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function};",
        f"CREATE TRIGGER reports_touch_upd AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {function};",
        f"CREATE TRIGGER reports_touch_del AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function};",
    ]


def _sqlite_values(table: str, row: str) -> list[str]:
    dates, _columns = TABLES[table]
    values = [
        f"SELECT date({row}.{name}, '-1 day'), date({row}.{name}, '+1 day') "
        f"WHERE {row}.{name} IS NOT NULL"
        for name in dates
    ]
    if table == "cases_session":
        opened = SESSION_CASE_OPENED.format(row=row)
        values.append(
            f"SELECT date({opened}, '-1 day'), date({opened}, '+1 day') WHERE {opened} IS NOT NULL"
        )
    return [f"INSERT INTO reports_toucheddays (first, last) {value};" for value in values]


def _sqlite_triggers(table: str) -> list[str]:
    _dates, columns = TABLES[table]
    changed = " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in columns)
    new, old = " ".join(_sqlite_values(table, "NEW")), " ".join(_sqlite_values(table, "OLD"))
    return [
        f"CREATE TRIGGER reports_touch_{table}_ins AFTER INSERT ON {table} BEGIN {new} END;",
        f"CREATE TRIGGER reports_touch_{table}_del AFTER DELETE ON {table} BEGIN {old} END;",
        f"CREATE TRIGGER reports_touch_{table}_upd AFTER UPDATE ON {table} "
        f"WHEN {changed} BEGIN {old} {new} END;",
    ]


SQLITE_CASES = [
    "CREATE TRIGGER reports_touch_cases_case_ins AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO reports_toucheddays (first, last) "
    "VALUES (date(NEW.opened_at, '-1 day'), NULL); END;",
    "CREATE TRIGGER reports_touch_cases_case_del AFTER DELETE ON cases_case BEGIN "
    f"INSERT INTO reports_toucheddays (first, last) VALUES ('{EVER}', NULL); END;",
    "CREATE TRIGGER reports_touch_cases_case_moved AFTER UPDATE ON cases_case "
    "WHEN OLD.office_id IS NOT NEW.office_id OR OLD.person_id IS NOT NEW.person_id BEGIN "
    f"INSERT INTO reports_toucheddays (first, last) VALUES ('{EVER}', NULL); END;",
    "CREATE TRIGGER reports_touch_cases_case_dates AFTER UPDATE ON cases_case "
    "WHEN OLD.opened_at IS NOT NEW.opened_at OR OLD.closed_at IS NOT NEW.closed_at BEGIN "
    "INSERT INTO reports_toucheddays (first, last) "
    "VALUES (date(min(OLD.opened_at, NEW.opened_at), '-1 day'), NULL); END;",
]


def create(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = [PG_CASES, *_pg_triggers("cases_case")]
        for table in TABLES:
            statements += [_pg_function(table), *_pg_triggers(table)]
    elif connection.vendor == "sqlite":
        statements = list(SQLITE_CASES)
        for table in TABLES:
            statements += _sqlite_triggers(table)
    else:
        raise RuntimeError(f"No rollup triggers for {connection.vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    connection = schema_editor.connection
    tables = ["cases_case", *TABLES]
    for table in tables:
        if connection.vendor == "postgresql":
            for name in ("ins", "upd", "del"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS reports_touch_{name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS reports_touch_{table}();")
        else:
            for name in ("ins", "del", "upd", "moved", "dates"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS reports_touch_{table}_{name};")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_rollups"),
        ("cases", "0003_day_view_indexes"),
        ("crm", "0022_person_residence_birth_date"),
    ]

    operations = [migrations.RunPython(create, drop)]
