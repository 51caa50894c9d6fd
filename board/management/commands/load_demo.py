from django.core.management.base import BaseCommand

from board.demo_data import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo partnership (Hampshire, GIAS April 2022) and one user per role. "
        "Safe to run again: keeps existing data. Passwords: DEMO_PASSWORD or generated."
    )

    def handle(self, *args, **options):
        result, logins, password, generated = load_demo()
        counts = result.as_dict() if hasattr(result, "as_dict") else result
        self.stdout.write(
            "Register: {created} created, {updated} updated, {unchanged} unchanged.".format(
                **{k: counts.get(k, 0) for k in ("created", "updated", "unchanged")}
            )
        )
        kept = ", generated and kept in .demo-password" if generated else ""
        self.stdout.write(f"\nDemo logins (password for all: {password}{kept}):")
        for login in logins:
            self.stdout.write(f"  {login.email:<30} {login.role:<18} {login.scope}")
        self.stdout.write("")
