"""The engagement page's port for the apps above brokerage: a registered part is shown with the
context it gives, and not at all when it gives None (the viewer may not see it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brokerage import extensions
from tests.brokerage.engagement_world import engagement_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def part(monkeypatch):
    def context(*, user, engagement):
        return {"secret": "Part for officers"} if user.email.startswith("officer") else None

    monkeypatch.setattr(extensions, "_PAGE_PARTS", {})
    extensions.engagement_page_part_register(
        "test", order=1, context=context, template="funding/_test_part.html"
    )
    return context


def test_a_registered_part_is_shown_only_to_whom_its_context_allows(
    as_user, world, part, tmp_path, settings
):
    engagement_a = engagement_make(school=world.school_a, alliance=world.alliance_a)
    template_dir = tmp_path / "funding"
    template_dir.mkdir()
    (template_dir / "_test_part.html").write_text("<p>{{ secret }} of {{ engagement.pk }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    url = reverse("brokerage:engagement-detail", args=[engagement_a.pk])
    officer_page = as_user("officer").get(url).content.decode()
    assert f"<p>Part for officers of {engagement_a.pk}</p>" in officer_page
    assert "Part for officers" not in as_user("alliance_chair").get(url).content.decode()
