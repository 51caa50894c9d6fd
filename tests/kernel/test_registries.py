"""Each app fills the kernel's registries itself: job kinds, navigation sections, audit kinds."""

import pytest
from django.core.management import call_command

from categorisation.jobs import CATEGORISATION_RUN, PERFORMANCE_IMPORT
from clusters.jobs import STRUCTURE_IMPORT
from kernel.audit import audit_kinds
from kernel.jobs import JOB_KINDS, job_kind_label, job_kind_register
from kernel.models import Job
from kernel.navigation import NAVIGATION, SUBNAVIGATION
from schools.jobs import GIAS_IMPORT


def test_every_app_registers_the_kinds_of_job_it_runs_with_their_labels():
    assert job_kind_label(GIAS_IMPORT) == "School register import"
    assert job_kind_label(STRUCTURE_IMPORT) == "Structure upload"
    assert job_kind_label(PERFORMANCE_IMPORT) == "Performance data import"
    assert job_kind_label(CATEGORISATION_RUN) == "Categorisation run"
    assert Job(kind=GIAS_IMPORT).get_kind_display() == "School register import"


def test_a_job_of_a_kind_no_app_registers_is_shown_by_its_value():
    assert Job(kind="old_export").get_kind_display() == "Old export"


def test_a_kind_cannot_be_registered_twice_with_different_labels():
    with pytest.raises(ValueError, match="already registered"):
        job_kind_register(GIAS_IMPORT, "Something else")


@pytest.mark.django_db
def test_a_new_kind_of_job_needs_no_migration():
    # The kinds are not choices of the field (a closed list would need a migration per kind)...
    assert not Job._meta.get_field("kind").choices
    # ...so registering one leaves the models as the migrations describe them.
    job_kind_register("fund_check", "Fund check")
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    finally:
        del JOB_KINDS["fund_check"]


def test_each_app_adds_its_own_navigation_sections_in_the_order_users_know():
    labels = [item.label for item in sorted(NAVIGATION.values(), key=lambda i: i.order)]
    assert labels == [
        "Home",
        "Dashboard",
        "Schools",
        "Structure",
        "Peer reviews",
        "Categorisation",
        "Support",
        "Fund",
        "Imports",
        "People",
        "Meetings",
        "Audit trail",
        "API",
    ]


def test_the_support_section_has_its_own_pages_in_a_secondary_navigation():
    pages = SUBNAVIGATION["brokerage:home"]
    labels = [item.label for item in sorted(pages.values(), key=lambda i: i.order)]
    assert labels == ["Cases", "Engagements", "Providers", "Time to support"]


def test_each_app_adds_its_own_kinds_of_record_to_the_audit_trail():
    assert list(audit_kinds()) == [
        "school",
        "partnership",
        "alliance",
        "cluster",
        "membership",
        "peer_cycle",
        "peer_review",
        "visit_note",
        "visit_response",
        "head_response",
        "role",
        "provider",
        "conflict",
        "support_case",
        "statutory_action",
        "engagement",
        "progress_review",
        "fund",
        "tariff",
        "allocation",
        "overdraw",
        "meeting",
        "board_seat",
        "decision",
        "paper",
        "meeting_focus",
    ]
