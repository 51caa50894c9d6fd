import re

from django.core import mail

from partnership.models import User


def test_invited_person_without_a_password_can_ask_for_a_reset_link(client, db):
    User.objects.create_user(email="invited@example.org")  # no password chosen yet
    response = client.post("/accounts/password_reset/", {"email": "invited@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
