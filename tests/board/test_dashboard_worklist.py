"""What waits on the home page for the roles that had nothing there: support for a head's
school or a cluster lead's cluster, support brokered to a provider, meetings coming up for
those who sit there, and recently published minutes, each from both sides."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from board.models import Meeting
from brokerage.models import Engagement, Provider, SupportCase
from tests.board.conftest import make_meeting


def waiting(as_user, persona: str) -> str:
    return as_user(persona).get("/").content.decode()


def test_head_sees_support_for_their_school_and_not_anothers(as_user, world, head_a, head_b):
    case = SupportCase.objects.create(school=world.school_a, origin=SupportCase.Origin.REQUEST)
    assert "Support for your school" not in waiting(as_user, "head_a")  # no support yet
    provider = Provider.objects.create(name="Hart Teaching School Hub", kind="nle")
    Engagement.objects.create(case=case, provider=provider)
    content = waiting(as_user, "head_a")
    assert "Support for your school: 1" in content and "/support/engagements/" in content
    assert "Support for your school" not in waiting(as_user, "head_b")


def test_cluster_lead_sees_support_in_their_cluster(as_user, world, cluster_lead, head_b):
    SupportCase.objects.create(school=world.school_a2, origin=SupportCase.Origin.REQUEST)
    content = waiting(as_user, "cluster_lead")
    assert "Support in your cluster: 1" in content and "Abbotts Ann Primary School" in content
    SupportCase.objects.all().delete()
    assert "Support in your cluster" not in waiting(as_user, "cluster_lead")


def test_provider_sees_support_brokered_to_them_only(as_user, world, provider, officer):
    mine = Provider.objects.create(name="Mine", kind="nle", person=provider)
    other = Provider.objects.create(name="Other", kind="nle")
    case = SupportCase.objects.create(school=world.school_a, origin=SupportCase.Origin.REQUEST)
    Engagement.objects.create(case=case, provider=other)
    assert "Support brokered to you" not in waiting(as_user, "provider")
    Engagement.objects.create(case=case, provider=mine)
    content = waiting(as_user, "provider")
    assert "Support brokered to you: 1" in content and "Ashdown Primary School" in content


def test_members_see_meetings_coming_up_and_heads_do_not(as_user, head_a):
    make_meeting(days_ago=-10, title="Summer board")
    content = waiting(as_user, "board_member")
    assert "Meetings coming up: 1" in content and "Summer board" in content
    assert "Meetings coming up" not in waiting(as_user, "head_a")


def test_recently_published_minutes_wait_to_be_read(as_user, head_a):
    meeting = make_meeting(days_ago=20, state=Meeting.State.MINUTES_APPROVED, title="Spring")
    assert "Minutes published recently" not in waiting(as_user, "head_a")
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_at=timezone.now())
    assert "Minutes published recently: 1" in waiting(as_user, "head_a")
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_published_at=timezone.now() - timedelta(days=40)
    )
    assert "Minutes published recently" not in waiting(as_user, "head_a")
