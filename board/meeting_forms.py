"""GOV.UK forms for the meetings pages (crispy-forms-gds); the services do the writing."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from kernel.uploads import UploadRefused, upload_limits
from partnership.models import Alliance, User

from .decisions import decision_kinds
from .meeting_agenda import paper_sniff
from .meeting_services import HalfTerm
from .models import Attendance, BoardSeat, Decision, ExemptParagraph, GroupKind, Meeting, SeatKind

TIME_FORMAT = "Enter the time as hours and minutes, for example 16:00"
DATE_LINE = re.compile(
    r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(?:to|-|–)\s+(\d{1,2})/(\d{1,2})/(\d{4})\s*$"
)
BOARD = "board"
WEEKDAYS = [
    (str(n), day) for n, day in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
]


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


def body_field(alliances) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Whose meeting",
        choices=[(BOARD, "The board"), *((str(a.pk), a.name) for a in alliances)],
    )


def body_alliance(value: str):
    return None if value == BOARD else Alliance.objects.get(pk=int(value))


class TimeField(forms.CharField):
    """A time typed as hours and minutes (16:00 or 16.00)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return datetime.strptime(value.replace(".", ":"), "%H:%M").time()
        except ValueError:
            raise ValidationError(TIME_FORMAT) from None


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label="Whose meeting")
    title = forms.CharField(label="Title", max_length=200)
    kind = forms.ChoiceField(label="Kind of meeting", choices=Meeting.Kind.choices)
    day = DateInputField(label="Date", help_text="For example, 12 11 2025")
    starts = TimeField(label="Start time", help_text="For example, 16:00")
    ends = TimeField(label="End time", required=False, help_text="Leave blank for two hours")
    location = forms.CharField(label="Where", max_length=300, required=False)

    def __init__(self, *args, alliances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = body_field(alliances)
        self.helper = _helper(
            Field.select("body"),
            Field.text("title"),
            Field.radios("kind"),
            Field("day"),
            Field.text("starts", field_width=5),
            Field.text("ends", field_width=5),
            Field.text("location"),
            button="Schedule the meeting",
        )


class ScheduleForm(forms.Form):
    body = forms.ChoiceField(label="Whose meetings")
    half_terms = forms.CharField(
        label="Half terms",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One half term a line, first day to last day, for example 1/9/2025 to 24/10/2025",
    )
    weekday = forms.ChoiceField(label="Day of the week", choices=WEEKDAYS)
    at = TimeField(label="Start time", help_text="For example, 16:00")
    location = forms.CharField(label="Where", max_length=300, required=False)

    def __init__(self, *args, alliances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = body_field(alliances)
        self.helper = _helper(
            Field.select("body"),
            Field.textarea("half_terms"),
            Field.select("weekday"),
            Field.text("at", field_width=5),
            Field.text("location"),
            button="Create the meetings",
        )

    def clean_half_terms(self) -> list[HalfTerm]:
        terms = []
        for n, line in enumerate(self.cleaned_data["half_terms"].splitlines(), 1):
            if not line.strip():
                continue
            found = DATE_LINE.match(line)
            if not found:
                raise ValidationError(f"Line {n}: enter the dates as 1/9/2025 to 24/10/2025")
            d1, m1, y1, d2, m2, y2 = (int(g) for g in found.groups())
            try:
                terms.append(HalfTerm(date(y1, m1, d1), date(y2, m2, d2)))
            except ValueError:
                raise ValidationError(f"Line {n}: enter real dates") from None
        return terms


def meeting_start(day: date, at: time):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, at))


class ItemForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)
    is_confidential = forms.BooleanField(
        label="Confidential: taken with the public excluded", required=False
    )
    exempt_paragraph = forms.ChoiceField(
        label="Exempt category (Local Government Act 1972, Schedule 12A)",
        choices=[("", "Not confidential"), *ExemptParagraph.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("description"),
            Field.checkbox("is_confidential"),
            Field.select("exempt_paragraph"),
            button="Add the item",
        )


class PaperForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="Use the same title to upload a new version"
    )
    file = forms.FileField(label="Upload a PDF, Word (DOCX), Excel (XLSX) or CSV file")
    summary = forms.CharField(label="Summary", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"), Field("file"), Field.textarea("summary"), button="Upload"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_limits("paper").size_check(upload.size)
            paper_sniff(upload, name=upload.name)
        except UploadRefused as refused:
            raise ValidationError(refused.message) from None
        return upload


class DeclarationForm(forms.Form):
    seat = forms.ModelChoiceField(label="Who declares", queryset=BoardSeat.objects.none())
    interest = forms.CharField(label="The interest", widget=forms.Textarea)

    def __init__(self, *args, seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats
        self.fields["seat"].label_from_instance = lambda seat: str(seat)
        self.helper = _helper(
            Field.select("seat"), Field.textarea("interest"), button="Record the declaration"
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes of this item", widget=forms.Textarea(attrs={"rows": 10}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("minutes"), button="Save the minutes")


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why is the meeting cancelled?", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason"), Button.warning("submit", "Cancel the meeting")
        )


class DecisionForm(forms.Form):
    text = forms.CharField(label="Resolution", widget=forms.Textarea)
    subject = forms.ChoiceField(
        label="What it decides in the product",
        required=False,
        help_text="Agreeing it writes the decision back: for example, a run becomes the "
        "current categorisation",
    )
    outcome = forms.ChoiceField(
        label="Outcome without a vote",
        choices=[("", "Recorded by vote below"), *Decision.Outcome.choices],
        required=False,
        help_text="Leave as it is when you record the votes",
    )

    def __init__(self, *args, meeting=None, voters=(), **kwargs):
        super().__init__(*args, **kwargs)
        kinds = decision_kinds()
        subjects = [("", "Nothing else in the product")]
        self.subject_objects = {}
        for key, kind in kinds.items():
            for obj in kind.subjects(meeting=meeting):
                value = f"{key}:{obj.pk}"
                subjects.append((value, f"{kind.label}: {kind.subject_label(obj)}"))
                self.subject_objects[value] = obj
        self.fields["subject"].choices = subjects
        self.voter_fields = []
        for voter in voters:
            name = f"vote_{voter.cast_by.pk}"
            label = str(voter.cast_by.user)
            if voter.cast_by.pk != voter.seat.pk:
                label += f" (substitute for {voter.seat.user})"
            self.fields[name] = forms.ChoiceField(
                label=label, choices=[("", "Did not vote"), *Vote_choices()], required=False
            )
            self.voter_fields.append(name)
        self.helper = _helper(
            Field.textarea("text"),
            Field.select("subject"),
            Field.select("outcome"),
            *(Field.select(name) for name in self.voter_fields),
            button="Record the decision",
        )

    def votes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("vote_")): self.cleaned_data[name]
            for name in self.voter_fields
            if self.cleaned_data.get(name)
        }

    def subject_object(self):
        return self.subject_objects.get(self.cleaned_data.get("subject") or "")


def Vote_choices():  # noqa: N802 (reads as the choices of Vote)
    from .models import Vote

    return Vote.Choice.choices


class SeatForm(forms.Form):
    body = forms.ChoiceField(label="Where")
    user = forms.ModelChoiceField(label="Person", queryset=User.objects.filter(is_active=True))
    kind = forms.ChoiceField(label="Seat", choices=SeatKind.choices)
    group_kind = forms.ChoiceField(
        label="Nominating group", choices=[("", "None"), *GroupKind.choices], required=False
    )
    group_name = forms.CharField(label="Name of the group", max_length=200, required=False)
    substitute_for = forms.ModelChoiceField(
        label="Substitute for", queryset=BoardSeat.objects.none(), required=False
    )
    purpose = forms.CharField(
        label="Project or reason (co-opted members)", max_length=200, required=False
    )
    ends_on = DateInputField(
        label="Ends on (co-opted members)", required=False, require_all_fields=False
    )

    def __init__(self, *args, alliances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = body_field(alliances)
        self.fields["substitute_for"].queryset = (
            BoardSeat.objects.current()
            .filter(kind__in=[SeatKind.CHAIR, SeatKind.MEMBER, SeatKind.CO_OPTED])
            .select_related("user", "alliance")
        )
        self.fields["substitute_for"].label_from_instance = lambda s: f"{s.user} ({s.body_name})"
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.email})"
        for part in self.fields["ends_on"].fields:
            part.required = False
        self.helper = _helper(
            Field.select("body"),
            Field.select("user"),
            Field.radios("kind"),
            Field.select("group_kind"),
            Field.text("group_name"),
            Field.select("substitute_for"),
            Field.text("purpose"),
            Field("ends_on"),
            button="Add the seat",
        )


def attendance_field(row) -> forms.ChoiceField:
    choices = [
        (s, label) for s, label in Attendance.Status.choices if s != Attendance.Status.SUBSTITUTE
    ]
    choices += [(f"sub:{sub.pk}", f"Represented by {sub.user}") for sub in row.substitutes]
    return forms.ChoiceField(
        label=f"{row.seat.user}, {row.seat.get_kind_display().lower()}",
        choices=[("", "Not recorded"), *choices],
        required=False,
        widget=forms.RadioSelect,
    )


class AttendanceForm(forms.Form):
    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {}
        for row in rows:
            name = f"seat_{row.seat.pk}"
            self.fields[name] = attendance_field(row)
            if row.attendance and not self.is_bound:
                a = row.attendance
                self.fields[name].initial = (
                    f"sub:{a.substitute_id}" if a.substitute_id else a.status
                )
            self.rows[name] = row
        self.helper = _helper(
            *(Field.radios(name, legend_size="s", small=True, inline=True) for name in self.rows),
            button="Save attendance",
        )

    def records(self) -> dict:
        subs = {sub.pk: sub for row in self.rows.values() for sub in row.substitutes}
        records = {}
        for name, row in self.rows.items():
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if value.startswith("sub:"):
                records[row.seat] = (Attendance.Status.SUBSTITUTE, subs[int(value[4:])])
            else:
                records[row.seat] = (value, None)
        return records
