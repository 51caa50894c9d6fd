"""python manage.py fund_check: recompute every balance from the ledger; exit 1 on any
difference."""

from django.core.management.base import BaseCommand, CommandError

from funding.balances import fund_position
from funding.checks import fund_problems
from funding.models import Fund, LedgerEntry
from kernel.money import pounds


class Command(BaseCommand):
    help = "Recompute every fund balance from the ledger entries and report any difference."

    def handle(self, *args, **options):
        problems = fund_problems()
        for fund in Fund.objects.order_by("year"):
            p = fund_position(fund=fund)
            self.stdout.write(
                f"{fund.name}: budget {pounds(p.budget)}, allocated {pounds(p.allocated)}, "
                f"committed {pounds(p.committed)}, spent {pounds(p.spent)}, "
                f"remaining {pounds(p.remaining)}"
            )
        if problems:
            for problem in problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(f"The fund's books do not balance: {len(problems)} problem(s)")
        count = LedgerEntry.objects.count()
        self.stdout.write(self.style.SUCCESS(f"The books balance: {count} entries checked."))
