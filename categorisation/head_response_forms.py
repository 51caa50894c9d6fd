"""Forms for the head's voice: the head's response to the proposed category, and the officer's
resolution of a challenge."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from kernel.uploads import megabytes, upload_limits

from .head_response_models import HeadResponse

MAX_COMMENT = 5000


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("send", button))
    return helper


class HeadResponseForm(forms.Form):
    """The head agrees with the proposed category or challenges it, with evidence."""

    response = forms.ChoiceField(
        label="Do you agree with your school's proposed category?",
        choices=[
            (HeadResponse.Answer.AGREE, "Yes, I agree"),
            (HeadResponse.Answer.CHALLENGE, "No, I challenge it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree with the proposed category"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="If you challenge the category, say why and what the evidence shows",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_COMMENT,
        error_messages={"max_length": "Comment must be 5,000 characters or fewer"},
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        largest = megabytes(upload_limits("head_evidence").max_bytes)
        self.fields["evidence"].help_text = f"A PDF or Word document (.docx), up to {largest}"
        self.helper = _helper(
            Field.radios("response", legend_size=Size.MEDIUM),
            Field.textarea("comment", rows=5),
            Field("evidence"),
            button="Send your response",
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("response") == HeadResponse.Answer.CHALLENGE
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", "Enter why you challenge the proposed category")
        return data


class ResolveForm(forms.Form):
    """The moderating officer marks a head's challenge resolved."""

    note = forms.CharField(
        label="How was the challenge resolved?",
        help_text="For example, what you discussed with the head and whether the category changed",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter how the challenge was resolved",
            "max_length": "Note must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("note", rows=3), button="Mark the challenge resolved")
