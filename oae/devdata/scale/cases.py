"""Generated case load for benchmarks (PostgreSQL only): advisors, cases on the starter
process, their steps, sessions and tasks, written by the database itself (INSERT … SELECT
over generate_series), so that millions of rows take minutes."""

from django.db import connection, transaction
from django.utils import timezone

from oae.accounts.models import User
from oae.cases.models import Case, CaseStep, ProcessTemplate, Session, Task
from oae.cases.services import process_template
from oae.catalogue.selectors import latest_version, published_contents
from oae.common.bulk import refresh_statistics
from oae.crm.models import Person
from oae.network.models import Membership, Office

STAFF_PER_OFFICE = 14
STEP_DAYS = 7


def bench_advisors(per_office: int = STAFF_PER_OFFICE) -> list[tuple[int, int]]:
    """(user id, office id) of the generated advisors, created once."""
    offices = list(Office.objects.order_by("pk").values_list("pk", flat=True))
    emails = [f"bench.staff.{o}.{n}@xarxa-oae.example" for o in offices for n in range(per_office)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        User(email=email, first_name="Tècnic", last_name=email.split("@")[0][12:])
        for email in emails
        if email not in existing
    )
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    pairs = [
        (users[f"bench.staff.{o}.{n}@xarxa-oae.example"], o)
        for o in offices
        for n in range(per_office)
    ]
    have = set(
        Membership.objects.filter(user_id__in=users.values()).values_list("user_id", flat=True)
    )
    Membership.objects.bulk_create(
        Membership(user_id=user, office_id=office, role="advisor")
        for user, office in pairs
        if user not in have
    )
    return pairs


def _template() -> ProcessTemplate:
    version = latest_version()
    content = published_contents(version)[("process", "atencio-empresa")]
    return process_template("atencio-empresa", version.number, content)


CASES_SQL = """
INSERT INTO cases_case (created_at, updated_at, lock_version, public_id, reference, office_id,
    person_id, service_code, service_name, process_id, state, closing_reason, closing_note,
    assigned_to_id, current_step, opened_at, closed_at, last_contact_at)
SELECT now(), now(), 1, gen_random_uuid(), 'GEN-' || (%(offset)s + g),
    (%(offices)s::int[])[1 + g %% %(staff)s],
    %(person_min)s + (g::bigint * 7919) %% %(person_span)s,
    'assessorament-creacio', 'Assessorament per crear una empresa', %(process)s,
    st.state, CASE WHEN st.state = 'closed' THEN 'goals_met' ELSE '' END, '',
    (%(advisors)s::int[])[1 + g %% %(staff)s],
    CASE WHEN st.state = 'closed' THEN '' ELSE (%(steps)s::text[])[1 + g %% 5] END,
    st.opened, CASE WHEN st.state = 'closed' THEN st.opened + interval '100 days' END,
    LEAST(now() - interval '1 hour', st.opened + ((g %% 60) || ' days')::interval)
FROM generate_series(1, %(count)s) AS g,
LATERAL (SELECT
    CASE WHEN g %% 100 < 88 THEN 'closed' WHEN g %% 100 < 96 THEN 'in_progress'
         WHEN g %% 100 < 98 THEN 'open' ELSE 'on_hold' END AS state,
    CASE WHEN g %% 100 < 88 THEN now() - ((130 + g %% 1700) || ' days')::interval
         ELSE now() - ((g %% 120) || ' days')::interval END AS opened) AS st
"""

STEPS_SQL = """
INSERT INTO cases_casestep (case_id, step_id, position, target_days, started_at, due_on,
    completed_at, completed_by_id, ticks)
SELECT c.id, s.step_id, s.pos - 1, %(days)s,
    CASE WHEN c.state = 'closed' OR s.pos <= array_position(%(steps)s::text[], c.current_step)
         THEN c.opened_at + ((s.pos - 1) * %(days)s || ' days')::interval END,
    CASE WHEN c.state = 'closed' OR s.pos <= array_position(%(steps)s::text[], c.current_step)
         THEN (c.opened_at + (s.pos * %(days)s || ' days')::interval)::date END,
    CASE WHEN c.state = 'closed' OR s.pos < array_position(%(steps)s::text[], c.current_step)
         THEN c.opened_at + (s.pos * %(days)s || ' days')::interval END,
    NULL, '{}'::jsonb
FROM cases_case c CROSS JOIN unnest(%(steps)s::text[]) WITH ORDINALITY AS s(step_id, pos)
WHERE c.id > %(after)s
"""

SESSIONS_SQL = """
INSERT INTO cases_session (created_at, updated_at, public_id, case_id, office_id, person_id,
    advisor_id, started_at, duration_minutes, channel, step_id, topics, private_notes)
SELECT now(), now(), gen_random_uuid(), c.id, c.office_id, c.person_id, c.assigned_to_id,
    LEAST(now() - interval '1 hour', c.opened_at + (n * 9 || ' days')::interval),
    30 + (c.id + n) %% 4 * 15,
    (ARRAY['in_person', 'phone', 'video', 'email'])[1 + (c.id + n) %% 4],
    '', 'Sessió de seguiment', ''
FROM cases_case c CROSS JOIN LATERAL generate_series(1, %(per_case_min)s + c.id %% %(spread)s) AS n
WHERE c.id > %(after)s
"""

TASKS_SQL = """
INSERT INTO cases_task (created_at, updated_at, public_id, case_id, title, due_on, assignee_id)
SELECT now(), now(), gen_random_uuid(), c.id, 'Revisar la documentació',
    current_date + (c.id %% 21 - 10)::int, c.assigned_to_id
FROM cases_case c WHERE c.id > %(after)s AND c.state <> 'closed'
"""


def generate_cases(*, count: int, sessions: int) -> dict:
    """Add `count` cases with about `sessions` sessions in all (2.5 per case by default)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The case load is generated on PostgreSQL only.")
    pairs = bench_advisors()
    people = Person.objects.order_by()
    person_min = people.order_by("pk").values_list("pk", flat=True).first()
    person_max = people.order_by("-pk").values_list("pk", flat=True).first()
    template = _template()
    steps = [step["id"] for step in template.content["steps"]]
    after = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    per_case = max(sessions / max(count, 1), 1)
    spread = max(int(round((per_case - 1) * 2)) + 1, 1)  # 1 + id % spread averages per_case
    params = {
        "offset": Case.objects.count(),
        "offices": [o for _u, o in pairs],
        "advisors": [u for u, _o in pairs],
        "staff": len(pairs),
        "person_min": person_min,
        "person_span": person_max - person_min + 1,
        "process": template.pk,
        "steps": steps,
        "count": count,
        "days": STEP_DAYS,
        "after": after,
        "per_case_min": 1,
        "spread": spread,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CASES_SQL, params)
        cursor.execute(STEPS_SQL, params)
        cursor.execute(SESSIONS_SQL, params)
        cursor.execute(TASKS_SQL, params)
    refresh_statistics([Case, CaseStep, Session, Task])
    return {"cases": count, "generated_at": timezone.now().isoformat()}
