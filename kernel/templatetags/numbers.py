"""``{{ value|intcomma }}``: a number with thousands separators ("22,000", "25,000.00"), as
django.contrib.humanize's filter of the same name gives in English, without its locale lookups.

Tables of counts call it for every cell: the national categorisation summary 1,300 times, where
humanize's took half of the page's rendering. Values other than whole numbers and decimals
(floats, text) go to humanize's filter unchanged.
"""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma as humanize_intcomma

register = template.Library()


@register.filter(is_safe=True)
def intcomma(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value:,f}"
    return humanize_intcomma(value)
