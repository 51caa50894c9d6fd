"""GOV.UK forms for visit notes: write or correct a note, and the head's response."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms
from django.utils import timezone

from kernel.uploads import megabytes, upload_limits

from .peer_forms import GradesMixin, _helper

MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``MAX_ATTACHMENTS`` files; the service checks each one's size and first bytes."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.docx", "class": "govuk-file-upload"}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"Attach at most {MAX_ATTACHMENTS} files")
        return [super(AttachmentsField, self).clean(file, initial) for file in files]


class VisitNoteForm(GradesMixin, forms.Form):
    visited_on = DateInputField(
        label="Date of the visit",
        help_text="For example, 14 3 2027",
    )
    focus = forms.CharField(
        label="Focus of the visit",
        max_length=300,
        error_messages={"required": "Enter the focus of the visit"},
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea, error_messages={"required": "Enter the notes"}
    )
    attachments = AttachmentsField(
        label="Attachments (optional)",
        required=False,
    )
    reason = forms.CharField(
        label="What does this correction change?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the correction changes"},
    )

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].error_messages["required"] = "Enter the date of the visit"
        largest = megabytes(upload_limits("visit_attachment").max_bytes)
        self.fields[
            "attachments"
        ].help_text = (
            f"PDF or Word documents (.docx), up to {MAX_ATTACHMENTS} files of {largest} each"
        )
        grades = self.add_grade_fields()
        fields = [
            Field("visited_on"),
            Field.text("focus", field_width=Fluid.TWO_THIRDS),
            Field.textarea("notes", rows=10),
            Field("attachments"),
            Fieldset(*grades, legend="Your judgements (optional)", legend_size=Size.MEDIUM),
        ]
        if correcting:
            fields.insert(0, Field.textarea("reason", rows=3))
        else:
            del self.fields["reason"]
        button = "Save corrected version" if correcting else "Save visit note"
        self.helper = _helper(*fields, button=button)

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of the visit must be today or in the past")
        return value


class ResponseForm(forms.Form):
    accurate = forms.TypedChoiceField(
        label="Is this note an accurate record of the visit?",
        choices=[("yes", "Yes, it is accurate"), ("no", "No, it is not accurate")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the note is accurate"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="If it is not accurate, say what is wrong",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("accurate", legend_size=Size.MEDIUM),
            Field.textarea("comment", rows=4),
            button="Send response",
        )

    def clean(self):
        data = super().clean()
        if data.get("accurate") is False and not data.get("comment", "").strip():
            self.add_error("comment", "Enter what is inaccurate in the note")
        return data
