"""``manage.py load_default_rules``: adopt the default rule set when there are no rules yet."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from categorisation.default_rules import default_rules_load


class Command(BaseCommand):
    help = (
        "Adopt the partnership's default rules (version 1, modelled on DfE's former floor and "
        "coasting standards and Ofsted judgements) if no rule set exists. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        rule_set = default_rules_load(by=None)
        if rule_set is None:
            self.stdout.write("Rules already exist: nothing was changed.")
        else:
            self.stdout.write(f"Adopted {rule_set}.")
