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
from categorisation.selectors import rule_set_adopted


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
            if options["json"]:
                # Still exactly one JSON object on stdout, so a script can read the failure.
                self.stdout.write(json.dumps({**_outcome(run), "error": run.error}))
            raise CommandError(run.error, returncode=1)
        self._print(run, as_json=options["json"])

    def _rule_set(self, version: int | None) -> RuleSet:
        if version is None:
            rule_set = rule_set_adopted()
            if rule_set is None:
                raise CommandError("No rules are adopted: adopt a rule set or give --rules VERSION")
            return rule_set
        rule_set = RuleSet.objects.filter(version=version).first()
        if rule_set is None:
            raise CommandError(f"There is no rule set version {version}")
        return rule_set

    def _print(self, run: Run, *, as_json: bool) -> None:
        stats = run.stats
        outcome = _outcome(run)
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


def _outcome(run: Run) -> dict:
    """The keys the issue names; a failed run has no results, so its counts are empty."""
    stats = run.stats or {}
    return {
        "run": run.pk,
        "schools": stats.get("schools", 0),
        "by_category": stats.get("by_category", {}),
        "insufficient_data": stats.get("insufficient_data", 0),
        "seconds": (run.timings or {}).get("total"),
    }
