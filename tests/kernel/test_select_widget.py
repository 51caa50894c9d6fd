"""``kernel.widgets.Select`` writes exactly the HTML Django's select templates write."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from kernel.widgets import Select

CHOICES = [
    ("", "Choose a cluster"),
    (1, "Andover & Test Valley"),
    ("2", 'Quotes "and" <tags>'),
    ("North", [("3", "Basingstoke"), ("4", "Hart")]),
    ("South", [(5, mark_safe("<b>already safe</b>"))]),
    ("none", "No cluster"),
]


@pytest.mark.parametrize("value", [None, "", "1", 4, "none", ["2", "5"]])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "govuk-select", "aria-describedby": "id_target-hint id_target-error"},
        {"required": True, "disabled": False, "data-x": '<"&>'},
    ],
)
def test_the_same_html_as_djangos_templates(value, attrs):
    ours = Select(choices=CHOICES).render("target", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("target", value, attrs=attrs)
    assert ours == django


def test_a_model_choice_field_renders_the_same(world):
    from clusters.models import Cluster

    field = forms.ModelChoiceField(queryset=Cluster.objects.order_by("name"), widget=Select)
    bound_ours = field.widget.render("cluster", world.cluster_a1.pk, attrs={"id": "id_cluster"})
    field.widget = forms.Select(choices=field.choices)
    django = field.widget.render("cluster", world.cluster_a1.pk, attrs={"id": "id_cluster"})
    assert bound_ours == django
    assert "selected" in bound_ours
