"""``numbers.intcomma`` gives what django.contrib.humanize's ``intcomma`` gives in English for
every value the templates pass it, without humanize's locale lookups."""

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma as humanize_intcomma
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kernel.templatetags.numbers import intcomma


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_read_as_humanize_writes_them(number):
    with translation.override("en-gb"):
        assert intcomma(number) == humanize_intcomma(number)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_money_in_pounds_and_pence_reads_as_humanize_writes_it(amount):
    with translation.override("en-gb"):
        assert intcomma(amount) == humanize_intcomma(amount)


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0"),
        (999, "999"),
        (22000, "22,000"),
        (-1234567, "-1,234,567"),
        (Decimal("25000.00"), "25,000.00"),
        (Decimal("1E+3"), "1,000"),
        ("108087", "108,087"),
        (1234.5, "1,234.5"),
        (None, "None"),
        (True, True),
    ],
)
def test_examples(value, expected):
    with translation.override("en-gb"):
        assert intcomma(value) == expected


def test_templates_load_it_by_the_humanize_name():
    rendered = Template("{% load numbers %}{{ n|intcomma }} of {{ total|intcomma }}").render(
        Context({"n": 1500, "total": Decimal("21318")})
    )
    assert rendered == "1,500 of 21,318"
