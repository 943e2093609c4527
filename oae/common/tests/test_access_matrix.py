"""Every URL pattern of the project × every persona → the expected HTTP status.

A URL pattern that is not listed here makes `test_every_url_pattern_is_in_the_matrix` fail,
so a new page cannot be added without deciding who may open it.
Codes: 200 ok, 302 redirect (to sign-in, or elsewhere for signed-in users), 403 refused,
404 hidden (out of scope), 405 wrong method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS

# Persona order (PERSONAS): anonymous, citizen, readonly_a, advisor_a, manager_a, advisor_b,
# auditor, coordinator
STAFF_PAGE = (302, 403, 200, 200, 200, 200, 200, 200)
MANAGER_A = (302, 403, 403, 403, 200, 404, 403, 200)
COORDINATOR_ONLY = (302, 403, 403, 403, 403, 403, 403, 200)
OFFICE_A_READ = (302, 403, 200, 200, 200, 404, 200, 200)
OFFICE_B_READ = (302, 403, 404, 404, 404, 200, 200, 200)
OFFICE_B_MANAGE = (302, 403, 404, 404, 404, 403, 403, 200)
PUBLIC = (200,) * 8
ANONYMOUS_ONLY = (200, 302, 302, 302, 302, 302, 302, 302)
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200, 200)
POST_ONLY = (405,) * 8
NETWORK_READ = (302, 403, 403, 403, 403, 403, 200, 200)
ADAPT_A = (302, 403, 403, 403, 200, 404, 403, 403)  # only office A's manager adapts it
ADAPT_B = (302, 403, 404, 404, 404, 403, 403, 403)
CLIENT_READ = (302, 403, 200, 200, 200, 200, 403, 403)  # office staff; no network roles
CLIENT_WRITE = (302, 403, 403, 200, 200, 200, 403, 403)
CASE_A_READ = (302, 403, 200, 200, 200, 404, 403, 403)
CITIZEN_OWN = (302, 200, 404, 404, 404, 404, 404, 404)  # a citizen's own kept result
CERTIFICATE = (302, 403, 404, 200, 200, 404, 404, 200)  # office A's advisor's certificate
PROPOSE = (302, 403, 403, 200, 200, 200, 403, 403)  # an office's managers and advisors
PROPOSAL_A = (302, 403, 403, 200, 200, 404, 403, 403)  # office A's own proposal
# Opening paths: coordinators and auditors every municipality's; office A's manager office A's
# path (with its agreements, evidence and reviews). Staff who follow no path (advisors,
# read-only staff) are refused every opening page (403), as citizens are.
OPENING_A = (302, 403, 403, 403, 200, 403, 200, 200)
OPENING_B = (302, 403, 403, 403, 404, 403, 200, 200)
OPENING_READ = (302, 403, 403, 403, 200, 403, 200, 200)  # lists and the playbook: VIEW_OPENING
# Staffing plans: office A's manager office A's, coordinators and auditors every office's (the
# manager and coordinators change it). A plan shows colleagues' training gaps: advisors and
# read-only staff are refused (403), as for opening.
STAFFING_A = (302, 403, 403, 403, 200, 403, 200, 200)
STAFFING_B = (302, 403, 403, 403, 404, 403, 200, 200)
STAFFING_EDIT_A = (302, 403, 403, 403, 200, 403, 403, 200)
STAFFING_EDIT_B = (302, 403, 403, 403, 404, 403, 403, 200)
# A consultation round: every member of staff and the auditor read it; an office's managers
# answer it for their office (office A's, while it is open and A has not answered).
ROUND_ANSWER_A = (302, 403, 403, 403, 200, 403, 403, 403)


def _ids(ctx):
    return {
        "a": ctx["office_a"].public_id,
        "b": ctx["office_b"].public_id,
        "member_a": ctx["advisor_a_membership"].public_id,
        "member_b": ctx["advisor_b_membership"].public_id,
        "ine_a": ctx["office_a"].municipality.ine_code,
        "version": 1,
        "service": "service",
        "procedure": "procedure",
        "crear": "crear",
        "alta": "alta-censal",
        "local": "local-a",
        "category": "creation",
        "resource": "plantilla",
        "person_a": ctx["person_a"].public_id,
        "company_a": ctx["company_a"].public_id,
        "import_a": ctx["import_a"].public_id,
        "person_a2": ctx["person_a2"].public_id,
        "merge_a": ctx["merge_a"].public_id,
        "case_a": ctx["case_a"].public_id,
        "task_a": ctx["task_a"].public_id,
        "document_a": ctx["document_a"].public_id,
        "outcome_a": ctx["outcome_a"].public_id,
        "referral_ab": ctx["referral_ab"].public_id,
        "appointment_a": ctx["appointment_a"].public_id,
        "feed": ctx["feed_token"],
        "survey": ctx["survey_token"],
        "result_a": ctx["result_a"].public_id,
        "mine_c": ctx["mine_c"].public_id,
        "monthly_a": ctx["monthly_a"].public_id,
        "monthly_network": ctx["monthly_network"].public_id,
        "path_a": ctx["path_a"].public_id,
        "path_b": ctx["path_b"].public_id,
        "agreement_a": ctx["agreement_a"].public_id,
        "agreement_b": ctx["agreement_b"].public_id,
        "evidence_a": ctx["evidence_a"].public_id,
        "review_a": ctx["review_a"].public_id,
        "review_b": ctx["review_b"].public_id,
        "action_a": ctx["action_a"].public_id,
        "contact_a": ctx["contact_a"].public_id,
        "opening_feed": ctx["opening_feed"],
        "session_next": ctx["session_next"].public_id,
        "session_held": ctx["session_held"].public_id,
        "enrolment_a": ctx["enrolment_a"].public_id,
        "attended_a": ctx["attended_a"].public_id,
        "certificate_a": ctx["certificate_a"].public_id,
        "module": "induction",
        "round": ctx["round"].public_id,
        "proposal_a": ctx["proposal_a"].public_id,
        "proposal_evidence_a": ctx["proposal_evidence_a"].pk,
    }


def _url(name, **kwargs):
    return lambda ctx: reverse(
        name, kwargs={k: (_ids(ctx)[v] if v in _ids(ctx) else v) for k, v in kwargs.items()}
    )


# key: URL name (or route for unnamed patterns) -> list of (label, url builder, statuses)
MATRIX = {
    "home": [("home", _url("home"), PUBLIC)],
    "healthz": [("healthz", _url("healthz"), PUBLIC)],
    "set_language": [("set_language", _url("set_language"), POST_ONLY)],
    "accounts:after_login": [
        ("after_login", _url("accounts:after_login"), (302, 302, 302, 302, 302, 302, 302, 302))
    ],
    "accounts:profile": [("profile", _url("accounts:profile"), SIGNED_IN)],
    "accounts:office_switch": [("office_switch", _url("accounts:office_switch"), POST_ONLY)],
    "network:overview": [("overview", _url("network:overview"), STAFF_PAGE)],
    "network:office_create": [("office_create", _url("network:office_create"), COORDINATOR_ONLY)],
    "network:office_detail": [
        ("office_detail A", _url("network:office_detail", public_id="a"), OFFICE_A_READ),
        ("office_detail B", _url("network:office_detail", public_id="b"), OFFICE_B_READ),
    ],
    "network:office_edit": [
        ("office_edit A", _url("network:office_edit", public_id="a"), MANAGER_A),
        ("office_edit B", _url("network:office_edit", public_id="b"), OFFICE_B_MANAGE),
    ],
    "network:office_staff": [
        ("office_staff A", _url("network:office_staff", public_id="a"), MANAGER_A),
        ("office_staff B", _url("network:office_staff", public_id="b"), OFFICE_B_MANAGE),
    ],
    "network:membership_role": [
        (
            "membership_role A",
            _url("network:membership_role", public_id="a", membership_id="member_a"),
            POST_ONLY,
        ),
    ],
    "network:membership_deactivate": [
        (
            "deactivate A",
            _url("network:membership_deactivate", public_id="a", membership_id="member_a"),
            MANAGER_A,
        ),
        (
            "deactivate B",
            _url("network:membership_deactivate", public_id="b", membership_id="member_b"),
            OFFICE_B_MANAGE,
        ),
        (
            "deactivate B's member via A",
            _url("network:membership_deactivate", public_id="a", membership_id="member_b"),
            (302, 403, 403, 403, 404, 404, 403, 404),
        ),
    ],
    "network:membership_reactivate": [
        (
            "reactivate A",
            _url("network:membership_reactivate", public_id="a", membership_id="member_a"),
            MANAGER_A,
        ),
    ],
    "network:municipality_list": [
        ("municipalities", _url("network:municipality_list"), STAFF_PAGE)
    ],
    "network:municipality_create": [
        ("municipality_create", _url("network:municipality_create"), COORDINATOR_ONLY)
    ],
    "network:municipality_edit": [
        ("municipality_edit", _url("network:municipality_edit", ine_code="ine_a"), COORDINATOR_ONLY)
    ],
    "network:audit_trail": [
        ("audit", _url("network:audit_trail"), (302, 403, 403, 403, 403, 403, 200, 200))
    ],
    # The network model (catalogue): coordinators edit, auditors read.
    "catalogue:model_home": [("model_home", _url("catalogue:model_home"), NETWORK_READ)],
    "catalogue:publish": [("publish", _url("catalogue:publish"), NETWORK_READ)],
    "catalogue:version_list": [("versions", _url("catalogue:version_list"), NETWORK_READ)],
    "catalogue:version_detail": [
        ("version", _url("catalogue:version_detail", number="version"), NETWORK_READ)
    ],
    "catalogue:version_compare": [("compare", _url("catalogue:version_compare"), NETWORK_READ)],
    "catalogue:adoption": [("adoption", _url("catalogue:adoption"), NETWORK_READ)],
    "catalogue:categories": [("categories", _url("catalogue:categories"), NETWORK_READ)],
    "catalogue:category_edit": [
        ("category_edit", _url("catalogue:category_edit", key="category"), NETWORK_READ)
    ],
    "catalogue:resources": [("resources", _url("catalogue:resources"), STAFF_PAGE)],
    "catalogue:resource_create": [
        ("resource_create", _url("catalogue:resource_create"), COORDINATOR_ONLY)
    ],
    "catalogue:resource_edit": [
        ("resource_edit", _url("catalogue:resource_edit", code="resource"), STAFF_PAGE)
    ],
    "catalogue:resource_download": [
        (
            "resource_download",
            _url("catalogue:resource_download", code="resource", number="version"),
            STAFF_PAGE,
        )
    ],
    "catalogue:item_create": [
        ("item_create", _url("catalogue:item_create", kind="service"), COORDINATOR_ONLY)
    ],
    "catalogue:item_edit": [
        ("item_edit", _url("catalogue:item_edit", kind="service", code="crear"), NETWORK_READ)
    ],
    "catalogue:item_archive": [
        ("item_archive", _url("catalogue:item_archive", kind="service", code="crear"), POST_ONLY)
    ],
    "catalogue:item_history": [
        ("item_history", _url("catalogue:item_history", kind="service", code="crear"), NETWORK_READ)
    ],
    "catalogue:item_preview": [
        ("item_preview", _url("catalogue:item_preview", kind="service", code="crear"), NETWORK_READ)
    ],
    # An office's catalogue: its staff read it, only its managers adapt it.
    "catalogue:office_catalogue": [
        ("office_catalogue A", _url("catalogue:office_catalogue", public_id="a"), OFFICE_A_READ),
        ("office_catalogue B", _url("catalogue:office_catalogue", public_id="b"), OFFICE_B_READ),
    ],
    "catalogue:office_adopt": [
        ("office_adopt", _url("catalogue:office_adopt", public_id="a"), POST_ONLY)
    ],
    "catalogue:office_updates": [
        ("office_updates A", _url("catalogue:office_updates", public_id="a"), OFFICE_A_READ),
        ("office_updates B", _url("catalogue:office_updates", public_id="b"), OFFICE_B_READ),
    ],
    "catalogue:office_local_create": [
        (
            "local_create A",
            _url("catalogue:office_local_create", public_id="a", kind="service"),
            ADAPT_A,
        ),
        (
            "local_create B",
            _url("catalogue:office_local_create", public_id="b", kind="service"),
            ADAPT_B,
        ),
    ],
    "catalogue:office_local_edit": [
        (
            "local_edit A",
            _url("catalogue:office_local_edit", public_id="a", kind="service", code="local"),
            ADAPT_A,
        ),
    ],
    "catalogue:procedure_variant": [
        ("variant A", _url("catalogue:procedure_variant", public_id="a", code="alta"), ADAPT_A),
        ("variant B", _url("catalogue:procedure_variant", public_id="b", code="alta"), ADAPT_B),
    ],
    "catalogue:office_item": [
        (
            "office_item A",
            _url("catalogue:office_item", public_id="a", kind="service", code="crear"),
            OFFICE_A_READ,
        ),
        (
            "office_item B",
            _url("catalogue:office_item", public_id="b", kind="service", code="crear"),
            OFFICE_B_READ,
        ),
    ],
    "catalogue:office_item_adapt": [
        (
            "adapt A",
            _url("catalogue:office_item_adapt", public_id="a", kind="service", code="crear"),
            ADAPT_A,
        ),
        (
            "adapt B",
            _url("catalogue:office_item_adapt", public_id="b", kind="service", code="crear"),
            ADAPT_B,
        ),
    ],
    "catalogue:office_item_toggle": [
        (
            "toggle A",
            _url("catalogue:office_item_toggle", public_id="a", kind="service", code="crear"),
            POST_ONLY,
        )
    ],
    # Proposals to the model (catalogue/proposal_views.py): every member of staff reads them;
    # an office's managers and advisors propose; office A's revise and withdraw its own; the
    # coordinator decides and merges.
    "catalogue:proposals": [("proposals", _url("catalogue:proposals"), STAFF_PAGE)],
    "catalogue:proposal_notices": [
        ("proposal notices", _url("catalogue:proposal_notices"), STAFF_PAGE)
    ],
    "catalogue:proposal_new": [
        (
            "proposal new",
            _url("catalogue:proposal_new", kind="service", code="crear"),
            PROPOSE,
        )
    ],
    "catalogue:proposal_new_item": [
        ("proposal new item", _url("catalogue:proposal_new_item", kind="service"), PROPOSE)
    ],
    "catalogue:proposal": [
        ("proposal", _url("catalogue:proposal", public_id="proposal_a"), STAFF_PAGE)
    ],
    "catalogue:proposal_revise": [
        ("proposal revise", _url("catalogue:proposal_revise", public_id="proposal_a"), PROPOSAL_A)
    ],
    "catalogue:proposal_withdraw": [
        (
            "proposal withdraw",
            _url("catalogue:proposal_withdraw", public_id="proposal_a"),
            PROPOSAL_A,
        )
    ],
    "catalogue:proposal_merge": [
        (
            "proposal merge",
            _url("catalogue:proposal_merge", public_id="proposal_a"),
            COORDINATOR_ONLY,
        )
    ],
    "catalogue:proposal_evidence_file": [
        (
            "proposal evidence file",
            _url(
                "catalogue:proposal_evidence_file",
                public_id="proposal_a",
                evidence_id="proposal_evidence_a",
            ),
            STAFF_PAGE,
        )
    ],
    **{
        f"catalogue:{name}": [(name, _url(f"catalogue:{name}", public_id="proposal_a"), POST_ONLY)]
        for name in (
            "proposal_comment",
            "proposal_support",
            "proposal_unsupport",
            "proposal_evidence",
            "proposal_decide",
        )
    },
    "catalogue:office_item_propose": [
        (
            "office item propose",
            _url("catalogue:office_item_propose", public_id="a", kind="service", code="crear"),
            POST_ONLY,
        )
    ],
    # Consultation rounds (catalogue/consultation_views.py).
    "catalogue:rounds": [("rounds", _url("catalogue:rounds"), STAFF_PAGE)],
    "catalogue:round_new": [("round_new", _url("catalogue:round_new"), COORDINATOR_ONLY)],
    "catalogue:round": [("round", _url("catalogue:round", public_id="round"), STAFF_PAGE)],
    "catalogue:round_answer": [
        ("round_answer", _url("catalogue:round_answer", public_id="round"), ROUND_ANSWER_A)
    ],
    "catalogue:round_export": [
        (
            "round_export csv",
            _url("catalogue:round_export", public_id="round", file_format="csv"),
            STAFF_PAGE,
        ),
        (
            "round_export xlsx",
            _url("catalogue:round_export", public_id="round", file_format="xlsx"),
            STAFF_PAGE,
        ),
    ],
    # Public catalogue and procedures: no sign-in.
    "public_catalogue:office": [
        ("public office", _url("public_catalogue:office", public_id="a"), PUBLIC)
    ],
    "public_catalogue:office_item": [
        (
            "public item",
            _url("public_catalogue:office_item", public_id="a", kind="service", code="crear"),
            PUBLIC,
        )
    ],
    "public_catalogue:procedures": [
        ("public procedures", _url("public_catalogue:procedures", ine_code="ine_a"), PUBLIC)
    ],
    "public_catalogue:procedure": [
        (
            "public procedure",
            _url("public_catalogue:procedure", ine_code="ine_a", code="alta"),
            PUBLIC,
        )
    ],
    # Open data (reports.opendata): public and anonymised; a year without data is 404 for all.
    "opendata:index": [("open data", _url("opendata:index"), PUBLIC)],
    "opendata:csv": [("open data csv", _url("opendata:csv", year="2019"), (404,) * 8)],
    "opendata:package": [("open data package", _url("opendata:package", year="2019"), (404,) * 8)],
    "opendata:dcat": [("open data dcat", _url("opendata:dcat", year="2019"), (404,) * 8)],
    # The joint database: office staff; other offices see a person only with consent.
    "crm:people": [("people", _url("crm:people"), CLIENT_READ)],
    "crm:person_create": [("person_create", _url("crm:person_create"), CLIENT_WRITE)],
    "crm:person_detail": [
        (
            "person A",
            _url("crm:person_detail", public_id="person_a"),
            (302, 403, 200, 200, 200, 404, 403, 403),
        )
    ],
    "crm:person_edit": [
        (
            "person_edit A",
            _url("crm:person_edit", public_id="person_a"),
            (302, 403, 403, 200, 200, 404, 403, 403),
        )
    ],
    "crm:person_consent": [
        ("consent", _url("crm:person_consent", public_id="person_a"), POST_ONLY)
    ],
    "crm:person_link": [("link", _url("crm:person_link", public_id="person_a"), POST_ONLY)],
    "crm:people_export": [("people_export", _url("crm:people_export"), CLIENT_READ)],
    "crm:import_upload": [("import_upload", _url("crm:import_upload"), CLIENT_WRITE)],
    # An import is seen only by the person who uploaded it (advisor of office A).
    "crm:import_detail": [
        (
            "import A",
            _url("crm:import_detail", public_id="import_a"),
            (302, 403, 403, 200, 404, 404, 403, 403),
        )
    ],
    # Its rows to fix: the same, from the same job (its dry run rejected a row).
    "crm:import_rejects": [
        (
            "import A rows to fix",
            _url("crm:import_rejects", public_id="import_a"),
            (302, 403, 403, 200, 404, 404, 403, 403),
        )
    ],
    # Figures: every staff member; other offices' figures are suppressed, not refused.
    "reports:network": [("reports", _url("reports:network"), STAFF_PAGE)],
    "reports:office": [("office figures", _url("reports:office"), STAFF_PAGE)],
    "reports:definitions": [("definitions", _url("reports:definitions"), STAFF_PAGE)],
    # An advisor's own work: whoever works on cases (not the network's roles).
    "reports:mine": [("my work", _url("reports:mine"), (302, 403, 200, 200, 200, 200, 403, 403))],
    # The network's goals: its roles read them (the coordinator sets them); offices follow
    # theirs on their own figures' page.
    "reports:goals": [("goals", _url("reports:goals"), (302, 403, 403, 403, 403, 403, 200, 200))],
    # Monthly reports: an office's staff list and download their office's; the network's roles
    # every office's and the network's; only the coordinator generates a month again.
    "reports:monthly": [("monthly reports", _url("reports:monthly"), STAFF_PAGE)],
    "reports:monthly_download": [
        (
            "monthly report A",
            _url("reports:monthly_download", public_id="monthly_a"),
            OFFICE_A_READ,
        ),
        (
            "monthly report of the network",
            _url("reports:monthly_download", public_id="monthly_network"),
            (302, 403, 404, 404, 404, 404, 200, 200),
        ),
    ],
    "reports:monthly_generate": [("monthly generate", _url("reports:monthly_generate"), POST_ONLY)],
    "crm:person_data": [("person_data", _url("crm:person_data", public_id="person_a"), POST_ONLY)],
    "crm:person_erase": [
        (
            "person_erase A",
            _url("crm:person_erase", public_id="person_a"),
            (302, 403, 403, 200, 200, 404, 403, 403),
        )
    ],
    "crm:person_merge": [
        (
            "merge A",
            _url("crm:person_merge", public_id="person_a", other_id="person_a2"),
            (302, 403, 403, 403, 200, 403, 403, 403),
        )
    ],
    "crm:person_merge_undo": [
        ("merge undo", _url("crm:person_merge_undo", merge_id="merge_a"), POST_ONLY)
    ],
    "crm:companies": [("companies", _url("crm:companies"), CLIENT_READ)],
    "crm:company_create": [("company_create", _url("crm:company_create"), CLIENT_WRITE)],
    "crm:companies_export": [("companies_export", _url("crm:companies_export"), CLIENT_READ)],
    "crm:company_detail": [
        ("company A", _url("crm:company_detail", public_id="company_a"), CLIENT_READ)
    ],
    "crm:company_edit": [
        (
            "company_edit A",
            _url("crm:company_edit", public_id="company_a"),
            (302, 403, 403, 200, 200, 403, 403, 403),
        )
    ],
    # Case management: only the owning office; a receiving office sees what a referral grants.
    "cases:list": [("cases", _url("cases:list"), CLIENT_READ)],
    "cases:today": [("today", _url("cases:today"), CLIENT_READ)],
    "cases:open": [("case_open", _url("cases:open"), CLIENT_WRITE)],
    "cases:detail": [("case A", _url("cases:detail", public_id="case_a"), CASE_A_READ)],
    "cases:session_add": [("session", _url("cases:session_add", public_id="case_a"), POST_ONLY)],
    "cases:step_tick": [
        ("tick", _url("cases:step_tick", public_id="case_a", step_id="acollida"), POST_ONLY)
    ],
    "cases:step_complete": [
        (
            "step done",
            _url("cases:step_complete", public_id="case_a", step_id="acollida"),
            POST_ONLY,
        )
    ],
    "cases:task_add": [("task_add", _url("cases:task_add", public_id="case_a"), POST_ONLY)],
    "cases:task_done": [("task_done", _url("cases:task_done", public_id="task_a"), POST_ONLY)],
    "cases:attachment_add": [
        ("document_add", _url("cases:attachment_add", public_id="case_a"), POST_ONLY)
    ],
    "cases:attachment_download": [
        ("document A", _url("cases:attachment_download", public_id="document_a"), CASE_A_READ)
    ],
    "cases:outcome_add": [
        ("outcome_add", _url("cases:outcome_add", public_id="case_a"), POST_ONLY)
    ],
    "cases:outcome_verify": [
        ("outcome_verify", _url("cases:outcome_verify", public_id="outcome_a"), POST_ONLY)
    ],
    "cases:update": [("case_update", _url("cases:update", public_id="case_a"), POST_ONLY)],
    "cases:close": [("case_close", _url("cases:close", public_id="case_a"), POST_ONLY)],
    "cases:reopen": [("case_reopen", _url("cases:reopen", public_id="case_a"), POST_ONLY)],
    "cases:refer": [
        (
            "refer A",
            _url("cases:refer", public_id="case_a"),
            (302, 403, 403, 200, 200, 404, 403, 403),
        )
    ],
    "cases:referrals": [("referrals", _url("cases:referrals"), CLIENT_READ)],
    "cases:referral": [
        (
            "referral A→B",
            _url("cases:referral", public_id="referral_ab"),
            (302, 403, 404, 404, 404, 200, 403, 403),
        )
    ],
    "cases:referral_answer": [
        ("referral_answer", _url("cases:referral_answer", public_id="referral_ab"), POST_ONLY)
    ],
    "cases:referral_withdraw": [
        ("referral_withdraw", _url("cases:referral_withdraw", public_id="referral_ab"), POST_ONLY)
    ],
    "cases:agenda": [("agenda", _url("cases:agenda"), CLIENT_READ)],
    "cases:book": [("book", _url("cases:book"), CLIENT_WRITE)],
    "cases:appointment_status": [
        (
            "appointment_status",
            _url("cases:appointment_status", public_id="appointment_a"),
            POST_ONLY,
        )
    ],
    "cases:availability": [("availability", _url("cases:availability"), CLIENT_WRITE)],
    "cases:feed_renew": [("feed_renew", _url("cases:feed_renew"), POST_ONLY)],
    # Secret-token pages for calendar apps and clients (no sign-in).
    "cases:feed": [("ical feed", _url("cases:feed", token="feed"), PUBLIC)],
    "cases:survey": [("survey", _url("cases:survey", token="survey"), PUBLIC)],
    # Advisory tools: public pages; saved results only for the office's staff.
    "tools:index": [("tools", _url("tools:index"), PUBLIC)],
    "tools:viability": [("viability", _url("tools:viability"), PUBLIC)],
    "tools:financing": [("financing", _url("tools:financing"), PUBLIC)],
    "tools:diagnosis": [("diagnosis", _url("tools:diagnosis"), PUBLIC)],
    "tools:diagnosis_result": [("diagnosis_result", _url("tools:diagnosis_result"), (302,) * 8)],
    "tools:viability_result": [("viability_result", _url("tools:viability_result"), (302,) * 8)],
    "tools:viability_document": [
        ("viability pdf", _url("tools:viability_document", kind="pdf"), (404,) * 8)
    ],
    "tools:save": [("save viability", _url("tools:save", tool="viability"), POST_ONLY)],
    "tools:legal_form": [("legal_form", _url("tools:legal_form"), PUBLIC)],
    "tools:legal_form_result": [("legal_form_result", _url("tools:legal_form_result"), (302,) * 8)],
    "tools:canvas": [("canvas", _url("tools:canvas"), PUBLIC)],
    "tools:canvas_pdf": [("canvas pdf", _url("tools:canvas_pdf"), (404,) * 8)],
    "tools:keep_mine": [("keep_mine", _url("tools:keep_mine", tool="canvas"), POST_ONLY)],
    "tools:mine": [("mine", _url("tools:mine"), SIGNED_IN)],
    "tools:mine_detail": [
        ("mine_detail", _url("tools:mine_detail", public_id="mine_c"), CITIZEN_OWN)
    ],
    "tools:mine_document": [
        (
            "mine_document",
            _url("tools:mine_document", public_id="mine_c", kind="pdf"),
            CITIZEN_OWN,
        )
    ],
    "tools:mine_delete": [
        ("mine_delete", _url("tools:mine_delete", public_id="mine_c"), POST_ONLY)
    ],
    "tools:received": [("received", _url("tools:received"), CLIENT_READ)],
    "tools:link": [("link", _url("tools:link", public_id="result_a"), POST_ONLY)],
    "tools:session_report": [
        ("session report", _url("tools:session_report", tool="diagnosis"), (404,) * 8)
    ],
    "tools:legal_forms": [("legal_forms", _url("tools:legal_forms"), NETWORK_READ)],
    "tools:result": [("result A", _url("tools:result", public_id="result_a"), CASE_A_READ)],
    "tools:result_document": [
        (
            "result A pdf",
            _url("tools:result_document", public_id="result_a", kind="pdf"),
            CASE_A_READ,
        )
    ],
    "tools:parameters": [("parameters", _url("tools:parameters"), NETWORK_READ)],
    "tools:questionnaire": [("questionnaire", _url("tools:questionnaire"), NETWORK_READ)],
    "tools:questionnaire_publish": [
        ("questionnaire_publish", _url("tools:questionnaire_publish"), POST_ONLY)
    ],
    "tools:programmes": [("programmes", _url("tools:programmes"), NETWORK_READ)],
    "tools:programme_create": [
        ("programme_create", _url("tools:programme_create"), COORDINATOR_ONLY)
    ],
    "tools:programme_edit": [
        (
            "programme_edit",
            _url("tools:programme_edit", code="microcredit-social"),
            COORDINATOR_ONLY,
        )
    ],
    "tools:parameters_edit": [
        ("parameters_edit", _url("tools:parameters_edit", year="2026"), COORDINATOR_ONLY)
    ],
    # Opening and follow-up of offices (oae/opening): the board lists the paths each may see
    # (office A's manager goes straight to A's; staff who follow no path are refused).
    "opening:board": [
        ("opening board", _url("opening:board"), (302, 403, 403, 403, 302, 403, 200, 200))
    ],
    "opening:path_start": [("path start", _url("opening:path_start"), COORDINATOR_ONLY)],
    "opening:path": [
        ("path A", _url("opening:path", public_id="path_a"), OPENING_A),
        ("path B", _url("opening:path", public_id="path_b"), OPENING_B),
    ],
    "opening:evidence_add": [
        ("evidence add", _url("opening:evidence_add", public_id="path_a"), POST_ONLY)
    ],
    "opening:item_reopen": [
        ("item reopen", _url("opening:item_reopen", public_id="path_a"), POST_ONLY)
    ],
    "opening:path_office": [
        ("path office", _url("opening:path_office", public_id="path_a"), POST_ONLY)
    ],
    "opening:path_move": [("path move", _url("opening:path_move", public_id="path_a"), POST_ONLY)],
    "opening:contact_invite": [
        ("contact invite", _url("opening:contact_invite", public_id="path_a"), POST_ONLY)
    ],
    "opening:review_open": [
        ("review open", _url("opening:review_open", public_id="path_a"), POST_ONLY)
    ],
    "opening:contact_toggle": [
        ("contact toggle", _url("opening:contact_toggle", public_id="contact_a"), POST_ONLY)
    ],
    "opening:evidence_download": [
        ("evidence A", _url("opening:evidence_download", public_id="evidence_a"), OPENING_A)
    ],
    "opening:agreements": [("agreements", _url("opening:agreements"), OPENING_READ)],
    "opening:agreement_new": [("agreement new", _url("opening:agreement_new"), COORDINATOR_ONLY)],
    "opening:agreement": [
        ("agreement A", _url("opening:agreement", public_id="agreement_a"), OPENING_A),
        ("agreement B", _url("opening:agreement", public_id="agreement_b"), OPENING_B),
    ],
    "opening:agreement_renew": [
        (
            "agreement renew A",
            _url("opening:agreement_renew", public_id="agreement_a"),
            COORDINATOR_ONLY,
        )
    ],
    "opening:agreement_file": [
        ("agreement file A", _url("opening:agreement_file", public_id="agreement_a"), OPENING_A),
        ("agreement file B", _url("opening:agreement_file", public_id="agreement_b"), OPENING_B),
    ],
    "opening:review": [
        ("review A", _url("opening:review", public_id="review_a"), OPENING_A),
        ("review B", _url("opening:review", public_id="review_b"), OPENING_B),
    ],
    "opening:review_meeting": [
        ("review meeting", _url("opening:review_meeting", public_id="review_a"), POST_ONLY)
    ],
    "opening:review_action_add": [
        ("review action add", _url("opening:review_action_add", public_id="review_a"), POST_ONLY)
    ],
    "opening:review_evidence_add": [
        (
            "review evidence add",
            _url("opening:review_evidence_add", public_id="review_a"),
            POST_ONLY,
        )
    ],
    "opening:review_action_done": [
        ("review action done", _url("opening:review_action_done", public_id="action_a"), POST_ONLY)
    ],
    "opening:playbook": [("playbook", _url("opening:playbook"), OPENING_READ)],
    "opening:playbook_version": [
        ("playbook v1", _url("opening:playbook_version", number="version"), OPENING_READ)
    ],
    "opening:draft_item": [("draft item", _url("opening:draft_item"), COORDINATOR_ONLY)],
    "opening:draft_item_remove": [
        ("draft item remove", _url("opening:draft_item_remove"), POST_ONLY)
    ],
    "opening:draft_stage": [("draft stage", _url("opening:draft_stage"), POST_ONLY)],
    "opening:draft_stall": [("draft stall", _url("opening:draft_stall"), POST_ONLY)],
    "opening:playbook_publish": [("playbook publish", _url("opening:playbook_publish"), POST_ONLY)],
    "opening:feed_renew": [("opening feed renew", _url("opening:feed_renew"), POST_ONLY)],
    # The due dates' calendar, behind its secret address (no sign-in).
    "opening:feed": [("opening ical feed", _url("opening:feed", token="opening_feed"), PUBLIC)],
    # Training (oae/training): every member of staff reads the curriculum and the sessions,
    # enrols and reads their own record; only coordinators schedule sessions and record
    # attendance and assessment; whose enrolments each sees is in oae/training/tests.
    "training:curriculum": [("curriculum", _url("training:curriculum"), STAFF_PAGE)],
    "training:mine": [("my training", _url("training:mine"), STAFF_PAGE)],
    "training:session_new": [
        ("session new", _url("training:session_new", code="module"), COORDINATOR_ONLY)
    ],
    "training:session": [
        ("training session", _url("training:session", public_id="session_next"), STAFF_PAGE),
        ("training session held", _url("training:session", public_id="session_held"), STAFF_PAGE),
    ],
    "training:enrol": [("enrol", _url("training:enrol", public_id="session_next"), POST_ONLY)],
    "training:session_cancel": [
        (
            "session cancel",
            _url("training:session_cancel", public_id="session_next"),
            COORDINATOR_ONLY,
        )
    ],
    "training:enrolment_cancel": [
        (
            "enrolment cancel",
            _url("training:enrolment_cancel", public_id="enrolment_a"),
            POST_ONLY,
        )
    ],
    "training:attendance": [
        ("attendance", _url("training:attendance", public_id="attended_a"), POST_ONLY)
    ],
    "training:assessment": [
        ("assessment", _url("training:assessment", public_id="attended_a"), POST_ONLY)
    ],
    # Certificates: the holder, their managers and coordinators download them; only
    # coordinators revoke; the verification page, the credential check and the issuer's
    # profile are public (the QR code opens the first).
    "training:certificate_pdf": [
        (
            "certificate pdf",
            _url("training:certificate_pdf", public_id="certificate_a"),
            CERTIFICATE,
        )
    ],
    "training:certificate_credential": [
        (
            "certificate credential",
            _url("training:certificate_credential", public_id="certificate_a"),
            CERTIFICATE,
        )
    ],
    "training:certificate_revoke": [
        (
            "certificate revoke",
            _url("training:certificate_revoke", public_id="certificate_a"),
            COORDINATOR_ONLY,
        )
    ],
    "certificates:verify": [
        ("certificate verify", _url("certificates:verify", public_id="certificate_a"), PUBLIC)
    ],
    "certificates:check": [("credential check", _url("certificates:check"), PUBLIC)],
    "certificates:issuer": [("issuer profile", _url("certificates:issuer"), PUBLIC)],
    # The staffing plan and the network's training needs (oae/training/staffing_views.py);
    # office A's manager is sent from the list straight to office A's plan.
    "training:staffing": [
        ("staffing", _url("training:staffing"), (302, 403, 403, 403, 302, 403, 200, 200))
    ],
    "training:staffing_office": [
        ("staffing A", _url("training:staffing_office", public_id="a"), STAFFING_A),
        ("staffing B", _url("training:staffing_office", public_id="b"), STAFFING_B),
    ],
    "training:position_save": [
        # Opened (a reload of a refused form), it leads back to the plan.
        (
            "position save",
            _url("training:position_save", public_id="a"),
            (302, 403, 403, 403, 302, 403, 403, 302),
        )
    ],
    "training:position_remove": [
        (
            "position remove A",
            _url("training:position_remove", public_id="a", job="advisor"),
            STAFFING_EDIT_A,
        ),
        (
            "position remove B",
            _url("training:position_remove", public_id="b", job="advisor"),
            STAFFING_EDIT_B,
        ),
    ],
    "training:membership_post": [
        (
            "post A",
            _url("training:membership_post", public_id="a", membership_id="member_a"),
            STAFFING_EDIT_A,
        ),
        (
            "post B",
            _url("training:membership_post", public_id="b", membership_id="member_b"),
            STAFFING_EDIT_B,
        ),
        (
            "post of B's member via A",
            _url("training:membership_post", public_id="a", membership_id="member_b"),
            (302, 403, 403, 403, 404, 403, 403, 404),
        ),
    ],
    "training:training_needs": [("training needs", _url("training:training_needs"), NETWORK_READ)],
    # Job profiles (oae/training/profile_views.py): every member of staff reads the network's;
    # coordinators edit them; an office's version and its PDF for its staff and coordinators
    # (auditors: 404); only the office's own manager adapts it (its other staff and
    # coordinators 403, other offices' staff 404).
    "training:profiles": [("job profiles", _url("training:profiles"), STAFF_PAGE)],
    "training:profile": [
        ("job profile", _url("training:profile", role="advisor"), STAFF_PAGE),
        ("job profile unknown", _url("training:profile", role="janitor"), (302, 403) + (404,) * 6),
    ],
    "training:profile_edit": [
        ("job profile edit", _url("training:profile_edit", role="advisor"), COORDINATOR_ONLY)
    ],
    "training:office_profile": [
        (
            "office profile A",
            _url("training:office_profile", role="advisor", public_id="a"),
            (302, 403, 200, 200, 200, 404, 404, 200),
        ),
        (
            "office profile B",
            _url("training:office_profile", role="manager", public_id="b"),
            (302, 403, 404, 404, 404, 200, 404, 200),
        ),
    ],
    "training:office_profile_adapt": [
        (
            "office profile adapt A",
            _url("training:office_profile_adapt", role="advisor", public_id="a"),
            (302, 403, 403, 403, 200, 404, 404, 403),
        ),
        (
            "office profile adapt B",
            _url("training:office_profile_adapt", role="advisor", public_id="b"),
            (302, 403, 404, 404, 404, 403, 404, 403),
        ),
    ],
    "training:office_profile_settle": [
        (
            "office profile settle",
            _url("training:office_profile_settle", role="advisor", public_id="a"),
            POST_ONLY,
        )
    ],
    "training:office_profile_pdf": [
        (
            "office profile pdf A",
            _url("training:office_profile_pdf", role="front_desk", public_id="a"),
            (302, 403, 200, 200, 200, 404, 404, 200),
        ),
        (
            "office profile pdf B",
            _url("training:office_profile_pdf", role="advisor", public_id="b"),
            (302, 403, 404, 404, 404, 200, 404, 200),
        ),
    ],
    # django-allauth: sign-in, sign-up, password reset, e-mail and MFA management.
    "account_login": [("login", _url("account_login"), ANONYMOUS_ONLY)],
    "account_signup": [("signup", _url("account_signup"), ANONYMOUS_ONLY)],
    "account_logout": [("logout", _url("account_logout"), (302,) + (200,) * 7)],
    "account_inactive": [("inactive", _url("account_inactive"), PUBLIC)],
    "account_reauthenticate": [("reauthenticate", _url("account_reauthenticate"), SIGNED_IN)],
    "account_email": [("email", _url("account_email"), SIGNED_IN)],
    "account_email_verification_sent": [
        ("verification_sent", _url("account_email_verification_sent"), PUBLIC)
    ],
    "account_change_password": [("change_password", _url("account_change_password"), SIGNED_IN)],
    "account_set_password": [("set_password", _url("account_set_password"), (302,) * 8)],
    "account_reset_password": [("reset_password", _url("account_reset_password"), PUBLIC)],
    "account_reset_password_done": [("reset_done", _url("account_reset_password_done"), PUBLIC)],
    "account_reset_password_from_key": [
        (
            "reset_from_key",
            _url("account_reset_password_from_key", uidb36="zz", key="bad-key"),
            PUBLIC,
        )
    ],
    "account_reset_password_from_key_done": [
        ("reset_from_key_done", _url("account_reset_password_from_key_done"), PUBLIC)
    ],
    "account_confirm_login_code": [
        ("confirm_login_code", _url("account_confirm_login_code"), (302,) * 8)
    ],
    "account_confirm_email": [
        ("confirm_email", _url("account_confirm_email", key="bad-key"), PUBLIC)
    ],
    "mfa_index": [("mfa_index", _url("mfa_index"), SIGNED_IN)],
    "mfa_authenticate": [("mfa_authenticate", _url("mfa_authenticate"), (302,) * 8)],
    "mfa_reauthenticate": [
        ("mfa_reauthenticate", _url("mfa_reauthenticate"), (302, 302, 302, 302, 302, 302, 200, 200))
    ],
    # Activating or changing MFA first asks for the password again (fresh sign-in: redirect).
    "mfa_activate_totp": [("mfa_activate_totp", _url("mfa_activate_totp"), (302,) * 8)],
    # Deactivating TOTP exists only for the enrolled (auditor, coordinator); 404 for others.
    "mfa_deactivate_totp": [
        (
            "mfa_deactivate_totp",
            _url("mfa_deactivate_totp"),
            (302, 404, 404, 404, 404, 404, 302, 302),
        )
    ],
    # Nobody in the fixtures has recovery codes yet: 404 to view them, reauthenticate to make.
    "mfa_view_recovery_codes": [
        ("recovery_codes", _url("mfa_view_recovery_codes"), (302,) + (404,) * 7)
    ],
    "mfa_generate_recovery_codes": [
        ("generate_recovery_codes", _url("mfa_generate_recovery_codes"), (302,) * 8)
    ],
    "mfa_download_recovery_codes": [
        ("download_recovery_codes", _url("mfa_download_recovery_codes"), (302,) + (404,) * 7)
    ],
}

# The admin site is for Django staff accounts with MFA; none of the personas is one, so every
# admin URL (checked one by one below) sends each of them to the sign-in page.
ADMIN_NAMESPACE = "admin"


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            key = (
                (f"{namespace}:{name}" if namespace else name)
                if name
                else prefix + str(pattern.pattern)
            )
            yield key, namespace, prefix + str(pattern.pattern)


def all_url_patterns():
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_is_in_the_matrix():
    missing = [
        key
        for key, namespace, _route in all_url_patterns()
        if namespace != ADMIN_NAMESPACE and key not in MATRIX
    ]
    assert missing == [], f"Add these URL patterns to the access matrix: {missing}"


def test_matrix_lists_no_url_that_does_not_exist():
    keys = {key for key, _namespace, _route in all_url_patterns()}
    assert set(MATRIX) - keys == set()


def _catalogue(office_a, office_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oae.catalogue import services
    from oae.catalogue.models import Resource
    from oae.testing.catalogue import build_small_model, service_content

    build_small_model()
    version = services.network_publish(actor=None, changelog="v1")
    for office in (office_a, office_b):
        services.office_catalogue_adopt(actor=None, office=office, version=version)
    services.office_local_item_save(
        actor=None,
        office=office_a,
        kind="service",
        code="local-a",
        content=service_content("Servei local"),
    )
    resource = Resource.objects.create(code="plantilla", title="Plantilla")
    services.resource_file_add(
        actor=None, resource=resource, upload=SimpleUploadedFile("pla.txt", b"pla d'empresa")
    )


def _proposals(people, office_a) -> dict:
    """An open proposal of office A to reword the service "crear", with a file as evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oae.catalogue import proposals
    from oae.catalogue.models import PublishedItem

    published = PublishedItem.objects.get(kind="service", code="crear").content
    proposal = proposals.proposal_create(
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=proposals._only_network_fields("service", published)
        | {"name": {"ca": "Crea la teva empresa", "es": "", "en": ""}},
        reason="Més clar",
    )
    evidence = proposals.proposal_evidence_add(
        actor=people["manager_a"],
        proposal=proposal,
        upload=SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%\xe2\xe3\n", "application/pdf"),
    )
    return {"proposal_a": proposal, "proposal_evidence_a": evidence}


def _consultation(people) -> dict:
    """A round open today on a service and a procedure of the draft, not answered yet."""
    import datetime

    from django.utils import timezone

    from oae.catalogue import consultation

    today = timezone.localdate()
    opened = consultation.round_open(
        actor=people["coordinator"],
        title="Consulta",
        questions="D'acord?",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        item_keys=[("service", "crear"), ("procedure", "alta-censal")],
    )
    return {"round": opened}


def _clients(office):
    from oae.testing.crm import client_with_company

    return client_with_company(office)


def _merge(office):
    from oae.crm import services

    def make(name):
        return services.person_create(
            actor=None,
            office=office,
            confirm_probable=True,
            data={"first_name": name, "email": f"{name}@example.org", "language": "ca"},
        )

    other = make("Bernat")
    merge = services.person_merge(
        actor=None, survivor=make("Clara"), absorbed=make("Dolors"), take=set()
    )
    return other, merge


def _import(advisor, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oae.crm.imports import jobs

    upload = SimpleUploadedFile("clients.csv", b"Nom;Correu\nAnna;anna@example.org\nPere;\n")
    job = jobs.import_job_create(actor=advisor, office=office, upload=upload)
    jobs.import_job_run(job_id=job.pk, dry_run=True)  # Pere, unrecognisable, is to fix
    job.refresh_from_db()
    return job


def _cases(people, office_a, office_b, person_a) -> dict:
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from oae.cases import agenda, referrals, services, surveys

    advisor = people["advisor_a"]
    case = services.case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=person_a
    )
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    outcome = services.outcome_record(
        actor=advisor,
        case=case,
        data={"kind": "training", "occurred_on": timezone.localdate()},
    )
    tomorrow = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    closed = services.case_open(
        actor=advisor, office=office_a, service_code="financar", advisor=advisor, person=person_a
    )
    services.case_close(
        actor=advisor,
        case=closed,
        reason="goals_met",
        note="",
        expected_version=closed.lock_version,
    )
    return {
        "case_a": case,
        "task_a": services.task_add(
            actor=advisor, case=case, title="Pla", due_on=timezone.localdate(), assignee=advisor
        ),
        "document_a": services.attachment_add(actor=advisor, case=case, upload=pdf),
        "outcome_a": outcome,
        "referral_ab": referrals.referral_create(
            actor=advisor,
            case=case,
            to_office=office_b,
            service_code="financar",
            reason="Finançament",
            shared=["summary"],
            consent_given_now=True,
        ),
        "appointment_a": agenda.appointment_book(
            actor=advisor,
            office=office_a,
            advisor=advisor,
            starts_at=tomorrow,
            ends_at=tomorrow + datetime.timedelta(hours=1),
            person=person_a,
            case=case,
        ),
        "feed_token": agenda.calendar_feed_token(advisor),
        "survey_token": surveys.survey_token(closed.survey),
        "result_a": _tool_result(advisor, person_a, case),
        "mine_c": _citizen_result(people["citizen"]),
    }


def _citizen_result(citizen):
    from oae.tools.results import keep_mine

    return keep_mine(user=citizen, tool="canvas", data={"title": "Idea", "value": "Pa"})


def _monthly_reports(office) -> dict:
    """Last month's report of office A and of the network (a stand-in PDF: the matrix is about
    who may open them)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from oae.reports.models import MonthlyReport

    def report(office):
        return MonthlyReport.objects.create(
            office=office,
            year=2026,
            month=1,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf"),
            generated_at=timezone.now(),
            size=15,
        )

    return {"monthly_a": report(office), "monthly_network": report(None)}


def _tool_result(advisor, person, case):
    from oae.tools.results import keep

    data = {"title": "Pla", "year": 2026, "products": [], "investments": [], "loans": []}
    return keep(actor=advisor, tool="viability", data=data, person=person, case=case)


def _opening(people, office_a, office_b) -> dict:
    """Office A's and office B's municipalities on their way, each with an agreement and last
    year's review; path A with a document brought, an agreed action and a municipal contact
    with the calendar address of their due dates."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from oae.opening import contacts, reminders, services

    coordinator = people["coordinator"]
    services.playbook_starter_load(actor=coordinator)
    today = timezone.localdate()

    def pdf():
        return SimpleUploadedFile("conveni.pdf", b"%PDF-1.4\n%%EOF\n")

    found = {}
    for key, office in (("a", office_a), ("b", office_b)):
        path = services.path_start(
            actor=coordinator,
            municipality=office.municipality,
            office=office,
            started_on=today - datetime.timedelta(days=30),
        )
        found[f"path_{key}"] = path
        found[f"agreement_{key}"] = services.agreement_record(
            actor=coordinator,
            municipality=office.municipality,
            data={
                "parties": "Xarxa OAE i Ajuntament",
                "signed_on": today - datetime.timedelta(days=100),
                "term_months": 48,
                "renewal_on": today + datetime.timedelta(days=1000),
                "network_obligations": "Formació",
                "municipality_obligations": "Local i personal",
            },
            upload=pdf(),
        )
        found[f"review_{key}"] = services.review_open(
            actor=coordinator, path=path, year=today.year - 1
        )
    path_a = found["path_a"]
    found["evidence_a"] = services.evidence_add(
        actor=coordinator, path=path_a, item_key="letter_of_interest", upload=pdf()
    )
    found["action_a"] = services.review_action_add(
        actor=coordinator,
        review=found["review_a"],
        data={"title": "Difusió", "owner": "Oficina", "due_on": today + datetime.timedelta(30)},
    )
    found["contact_a"] = contacts.contact_invite(
        actor=coordinator, path=path_a, email="ajuntament@santboi.example"
    )
    found["opening_feed"] = reminders.feed_token(found["contact_a"].user)
    return found


def _training(people) -> dict:
    """Tomorrow's induction with office A's advisor enrolled, and a viability course that has
    started, which the advisor attends (so the coordinator's assessment reaches the score)."""
    import datetime

    from django.utils import timezone

    from oae.training import services
    from oae.training.models import Module, TrainingSession

    services.framework_load()
    coordinator, advisor = people["coordinator"], people["advisor_a"]
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    def schedule(code):
        return services.session_schedule(
            actor=coordinator,
            module=Module.objects.get(code=code),
            data={
                "starts_at": tomorrow,
                "ends_at": tomorrow + datetime.timedelta(hours=4),
                "place": "Seu de la xarxa",
                "online_url": "",
                "trainer": "Montserrat Puig",
                "capacity": 8,
            },
        )

    upcoming, held = schedule("induction"), schedule("viability")
    enrolment = services.enrol(actor=advisor, session=upcoming, user=advisor)
    attended = services.enrol(actor=advisor, session=held, user=advisor)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    TrainingSession.objects.filter(pk=held.pk).update(starts_at=an_hour_ago)
    attended.refresh_from_db()
    services.attendance_record(actor=coordinator, enrolment=attended, attended=True)
    services.assessment_record(actor=coordinator, enrolment=attended, score=80)
    return {
        "certificate_a": attended.certificates.get(),
        "session_next": upcoming,
        "session_held": held,
        "enrolment_a": enrolment,
        "attended_a": attended,
    }


def _staffing(office_a, office_b) -> dict:
    """Both offices plan two advisors."""
    from decimal import Decimal

    from oae.training import staffing_services

    return {
        f"position_{key}": staffing_services.position_save(
            actor=None, office=office, job_role="advisor", fte=Decimal("2")
        )
        for key, office in (("a", office_a), ("b", office_b))
    }


@pytest.fixture
def ctx(people, office_a, office_b):
    _catalogue(office_a, office_b)
    person_a, company_a = _clients(office_a)
    person_a2, merge_a = _merge(office_a)
    return _cases(people, office_a, office_b, person_a) | {
        "person_a2": person_a2,
        "merge_a": merge_a,
        "import_a": _import(people["advisor_a"], office_a),
        "person_a": person_a,
        "company_a": company_a,
        "office_a": office_a,
        "office_b": office_b,
        "advisor_a_membership": people["advisor_a"].memberships.get(),
        "advisor_b_membership": people["advisor_b"].memberships.get(),
        **_monthly_reports(office_a),
        **_opening(people, office_a, office_b),
        **_training(people),
        **_staffing(office_a, office_b),
        **_consultation(people),
        **_proposals(people, office_a),
    }


CASES = [
    (key, label, build, expected) for key, rows in MATRIX.items() for label, build, expected in rows
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "label", "build", "expected"), CASES, ids=[case[1] for case in CASES]
)
def test_each_persona_gets_the_expected_status(key, label, build, expected, ctx, client_for):
    url = build(ctx)
    actual = tuple(client_for(persona).get(url).status_code for persona in PERSONAS)
    assert actual == expected, f"{label}: {dict(zip(PERSONAS, actual, strict=True))}"


def _admin_urls(ctx):
    """Every admin URL without arguments, plus the ones with an object id, filled in."""
    urls = [
        reverse(key)
        for key, namespace, route in all_url_patterns()
        if namespace == ADMIN_NAMESPACE and "<" not in route and "(?P" not in route
    ]
    user_pk = ctx["advisor_a_membership"].user_id
    return [
        *urls,
        f"/admin/accounts/user/{user_pk}/change/",
        f"/admin/accounts/user/{user_pk}/history/",
        f"/admin/accounts/user/{user_pk}/delete/",
        f"/admin/accounts/user/{user_pk}/",
        "/admin/r/1/1/",
    ]


@pytest.mark.django_db
def test_no_persona_can_open_any_admin_url(ctx, client_for):
    urls = _admin_urls(ctx)
    assert len(urls) > 20
    for persona in PERSONAS:
        client = client_for(persona)
        for url in urls:
            response = client.get(url)
            if url == "/admin/login/" and persona != "anonymous":
                assert response.status_code == 403, (persona, url)  # signed in, not admin staff
                continue
            assert response.status_code == 302, (persona, url, response.status_code)
            assert (
                response["Location"].startswith(("/accounts/login/", "/admin/login/"))
                or url == "/admin/logout/"
            ), (persona, url, response["Location"])
