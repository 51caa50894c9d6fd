"""Give a person the LA officer role: how a new installation gets its first officer, who then
invites everyone else from the People page."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnership.models import Role, User
from partnership.services import role_assign, user_invite


class Command(BaseCommand):
    help = (
        "Give a person the LA officer role. A new email address gets an account and an "
        "invitation by email (EMAIL_URL) with a link to choose a password (SITE_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, email: str, first_name: str, last_name: str, **options):
        try:
            with transaction.atomic():
                user = User.objects.filter(email__iexact=email.strip()).first()
                invited = user is None
                if invited:
                    user = user_invite(
                        email=email, first_name=first_name, last_name=last_name, by=None
                    )
                role_assign(user=user, role=Role.OFFICER, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{user.email} is now an LA officer.")
        if invited:
            self.stdout.write(f"An invitation to choose a password was sent to {user.email}.")
