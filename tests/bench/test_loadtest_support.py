"""The load benchmark's support, money and meetings (``bench/loadtest/dataset_support.py``),
built on the personas' world at a small size: every case has its school's alliance, the
ledger balances, the board's meeting is in progress today, and the dashboard pages the
personas open answer."""

from decimal import Decimal

import pytest
from django.test import Client

from board import pack as board_pack
from board.dashboard import PANELS
from board.dashboard_focus import meeting_in_progress
from brokerage.models import Engagement, SupportCase
from funding.balances import fund_position
from funding.selectors import fund_current
from tests.bench.test_loadtest import _module
from tests.categorisation.factories import build_categorised
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


@pytest.fixture
def support(world, officer, monkeypatch):
    for school in SchoolFactory.create_batch(40):
        MembershipFactory(school=school, cluster=world.cluster_a1)
    build_categorised(world, officer)
    UserFactory(email="officer0@bench.example.org")
    module = _module("dataset_support")
    monkeypatch.setattr(module, "CASES", 30)
    return module.build()


def test_support_data_set_is_consistent(world, support):
    assert support["cases"] == SupportCase.objects.count() == 30
    assert not SupportCase.objects.filter(alliance__isnull=True).exists()
    assert support["engagements"] == Engagement.objects.count()
    assert not Engagement.objects.exclude(case__commissioned_at__isnull=False).exists()
    position = fund_position(fund=fund_current())
    assert position.budget == Decimal("6995500.00")
    assert position.committed >= 0 and position.spent >= 0
    assert meeting_in_progress(alliance=None).pk == support["meeting"]


@pytest.mark.parametrize("persona", ["board", "officer", "alliance_chair"])
def test_the_dashboard_pages_of_the_benchmark_answer(
    world,
    board_member,
    alliance_chair,
    support,
    persona,
    settings,
    tmp_path,
    monkeypatch,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    dataset, pages = _module("dataset"), _module("pages")
    assert len(PANELS) == pages.PANELS
    support_module = _module("dataset_support")
    # The job starts when its request commits: at once, as in the benchmark (no transaction).
    monkeypatch.setattr(board_pack.transaction, "on_commit", lambda start, **kwargs: start())
    pack = support_module.pack_build()  # the members' pack, by its job
    assert pack["pack_pages"] > 1 and pack["pack_seconds"] is not None
    assert support_module.pack_build()["pack_seconds"] is None  # kept: not built again
    plan = dataset.plan_build()
    account = plan["personas"][persona][0]
    client = Client()
    client.cookies["sessionid"] = account["session"]
    opened = {
        name: paths
        for name, paths in pages.pages_unloaded(account, persona, plan).items()
        if "dashboard" in name or "meetings" in name
    }
    # The dashboard and its panels; for the board and officers also the meeting, the pack's
    # page and the members' pack.
    assert len(opened) == (2 if persona == "alliance_chair" else 5)
    for paths in opened.values():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            if path.endswith(".pdf"):
                assert b"".join(response.streaming_content).startswith(b"%PDF")
