"""Two officers saving the same draft at the same moment from pages showing the same rules: the
stale-edit check is made under the rule set's row lock, so one save is written and the other is
refused, rather than the second silently undoing the first."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from categorisation.models import RuleSet
from categorisation.runs import definition_checksum, rule_set_create_draft, rule_set_save
from tests.categorisation.test_runs import RULES, rules_adopt
from tests.factories import UserFactory

CHANGED_MEANWHILE = (
    "Someone else changed these rules while you were editing them, so your changes were not "
    "saved. Check the rules and make your change again"
)


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_from_the_same_page_one_is_written_and_one_refused():
    draft = rule_set_create_draft(based_on=rules_adopt(), by=None)
    officers = [UserFactory(), UserFactory()]
    definitions = [{**RULES, "min_cohort": 5}, {**RULES, "min_cohort": 7}]
    barrier = threading.Barrier(2)
    saved: list[int] = []
    refused: list[tuple[int, list[str]]] = []
    unexpected: list[Exception] = []

    def save(index: int) -> None:
        try:
            shown = RuleSet.objects.get(pk=draft.pk)
            seen = definition_checksum(shown.definition)
            barrier.wait(timeout=10)  # both pages showed the same rules before either saved
            rule_set_save(
                rule_set=shown, definition=definitions[index], by=officers[index], seen=seen
            )
            saved.append(index)
        except ValidationError as error:
            refused.append((index, error.messages))
        except Exception as exc:  # noqa: BLE001 - the test reports any other failure
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert unexpected == []
    assert len(saved) == 1 and len(refused) == 1
    assert refused[0][1] == [CHANGED_MEANWHILE]
    draft.refresh_from_db()
    assert draft.definition == definitions[saved[0]]
    assert draft.history.first().history_user == officers[saved[0]]
