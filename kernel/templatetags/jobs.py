"""``{% job_state_tag job %}``: a job's or run's state as a GOV.UK tag, coloured the same on
every page (green succeeded, red failed, blue running, grey queued)."""

from django import template
from django.utils.html import format_html

register = template.Library()

STATE_COLOURS = {"succeeded": "green", "failed": "red", "running": "blue", "queued": "grey"}


@register.simple_tag
def job_state_tag(job) -> str:
    colour = STATE_COLOURS.get(job.state, "grey")
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, job.get_state_display()
    )
