"""``Select``: Django's select widget with its HTML written in Python instead of through a
template per option.

The HTML is byte for byte what Django's own templates write (``select.html``,
``select_option.html``, ``attrs.html``; tested), so crispy-forms-gds and the browser see no
difference. A national cluster page offers 425 people and 200 clusters: through the templates
the options took most of the page's time.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict) -> str:
    value = conditional_escape(str(option["value"]))
    label = conditional_escape(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            # Each option's template ends with a new line, which Django's include keeps.
            html.extend(f"\n  {_option(option)}\n" for option in group_choices)
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))
