"""``manage.py load_default_rules``: adopt the default rule set when there are no rules yet, and
add version 2 of the default rules as a draft."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from categorisation.default_rules import default_rules_load, default_rules_v2_load


class Command(BaseCommand):
    help = (
        "Adopt the partnership's default rules (version 1, modelled on DfE's former floor and "
        "coasting standards and Ofsted judgements) if no rule set exists, and add version 2 "
        "(built for the data published from 2024/25) as a draft to try. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        rule_set = default_rules_load(by=None)
        if rule_set is None:
            self.stdout.write("Rules already exist: the adopted rules were not changed.")
        else:
            self.stdout.write(f"Adopted {rule_set}.")
        draft = default_rules_v2_load(by=None)
        if draft is None:
            self.stdout.write("Version 2 of the default rules is already there.")
        else:
            self.stdout.write(f"Added {draft} as a draft: try it as a what-if run, then adopt it.")
