"""How results are stored: explanations compressed with LZ4 (migration 0005), and written by
COPY exactly as the engine made them (msgspec's JSON, escaped for COPY)."""

from decimal import Decimal

import pytest
from django.db import connection

from categorisation.models import Result
from categorisation.run_data import results_save
from tests.categorisation.factories import RunFactory
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_result_explanations_are_compressed_with_lz4_when_the_server_has_it():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        (available,) = cursor.fetchone()
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attname = 'explanation' "
            "AND attrelid = 'categorisation_result'::regclass"
        )
        (method,) = cursor.fetchone()
    assert method == ("l" if available else "")


def test_an_explanation_with_quotes_tabs_backslashes_and_accents_is_stored_exactly():
    run = RunFactory()
    school = SchoolFactory()
    explanation = {
        "label": 'Ofsted "inadequate"\tat C:\\inspections\nÉcole, naïve – 5%',
        "value": 0.1 + 0.2,
        "missing": None,
        "indicators": [{"points": 3, "flag": True}],
    }
    row = (run.pk, school.pk, "4", "high", Decimal("4.00"), False, "t", explanation, False)
    results_save([(*row, "4", "high")])
    stored = Result.objects.get(run=run, school=school)
    assert stored.explanation == explanation
    assert stored.explanation["value"] == 0.30000000000000004
