"""``manage.py categorise [--rules VERSION] [--json]``: run a categorisation now, synchronously.

Without ``--rules`` it uses the adopted rules (an official run); a version that is not adopted
is tried in a what-if run, which changes no one's category.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from categorisation.models import RuleSet, RuleSetStatus, Run
from categorisation.runs import run_create, run_execute


class Command(BaseCommand):
    help = (
        "Categorise every open school in the partnership with the adopted rules (or the rule "
        "set of --rules VERSION, as a what-if run) and print the outcome."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rules", type=int, metavar="VERSION", help="the rule set version")
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object with the outcome"
        )

    def handle(self, *args, **options) -> None:
        rule_set = self._rule_set(options["rules"])
        adopted = rule_set.status == RuleSetStatus.ADOPTED
        purpose = Run.Purpose.OFFICIAL if adopted else Run.Purpose.WHAT_IF
        try:
            run = run_create(
                rule_set=rule_set,
                purpose=purpose,
                by=None,
                trigger="Command line (manage.py categorise)",
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        run = run_execute(run=run)
        if run.state != Run.State.SUCCEEDED:
            raise CommandError(run.error)
        self._print(run, as_json=options["json"])

    def _rule_set(self, version: int | None) -> RuleSet:
        if version is None:
            rule_set = RuleSet.objects.filter(status=RuleSetStatus.ADOPTED).first()
            if rule_set is None:
                raise CommandError("No rules are adopted: adopt a rule set or give --rules VERSION")
            return rule_set
        rule_set = RuleSet.objects.filter(version=version).first()
        if rule_set is None:
            raise CommandError(f"There is no rule set version {version}")
        return rule_set

    def _print(self, run: Run, *, as_json: bool) -> None:
        stats = run.stats
        outcome = {
            "run": run.pk,
            "schools": stats["schools"],
            "by_category": stats["by_category"],
            "insufficient_data": stats["insufficient_data"],
            "seconds": run.timings.get("total"),
        }
        if as_json:
            self.stdout.write(json.dumps(outcome))
            return
        self.stdout.write(
            f"Run {run.pk} ({run.get_purpose_display()}, rules version {run.rule_set.version}): "
            f"{outcome['schools']:,} schools in {outcome['seconds']} s"
        )
        for code, count in outcome["by_category"].items():
            self.stdout.write(f"  category {code}: {count:,}")
        self.stdout.write(f"  insufficient data: {outcome['insufficient_data']:,}")
        for note in stats.get("notes", []):
            self.stdout.write(f"  note: {note}")
