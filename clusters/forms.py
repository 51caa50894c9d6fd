"""GOV.UK forms for the structure pages (crispy-forms-gds); the services do the writing."""

from __future__ import annotations

import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Hidden, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from kernel.uploads import upload_file_check
from kernel.widgets import Select
from partnership.models import Alliance, User
from schools.models import School

from .models import Cluster
from .selectors import open_clusters
from .services import LINKED_HUB, SIP, name_validator, text_validator

NO_CLUSTER = "none"


class OptionalDateField(DateInputField):
    """A GOV.UK date input that may be left blank (meaning today) and is not in the future."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        for part in self.fields:
            part.required = False

    def compress(self, data_list):
        if not any(data_list):
            return None
        if not all(data_list):
            raise ValidationError("Enter the day, month and year, or leave the date blank")
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError("Enter a real date, for example 1 9 2025") from None

    def validate(self, value):
        if value and value > timezone.localdate():
            raise ValidationError("The date must be today or in the past")


def _date_field(label: str) -> OptionalDateField:
    return OptionalDateField(
        label=label, help_text="For example, 1 9 2025. Leave it blank for today."
    )


def _helper(*fields, button: str, action: str | None = None, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    submit = Button.warning("submit", button) if warning else Button("submit", button)
    hidden = [Hidden("action", action)] if action else []
    helper.layout = Layout(*hidden, *fields, submit)
    return helper


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class SchoolChoiceField(forms.ModelMultipleChoiceField):
    """Accepts any school of its queryset; offers as checkboxes only ``shown`` when it is set
    (the schools on the page being read), so the form stays the size of one page."""

    shown: list[School] | None = None

    def label_from_instance(self, obj: School) -> str:
        return f"{obj.name} ({obj.urn})"

    def _get_choices(self):
        if self.shown is None:
            return super()._get_choices()
        return [(school.pk, self.label_from_instance(school)) for school in self.shown]

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


def _cluster_choices(*, exclude: Cluster | None = None) -> list:
    """Open clusters grouped by alliance, for a select."""
    groups: dict[str, list] = {}
    for cluster in open_clusters():
        if exclude is None or cluster.pk != exclude.pk:
            groups.setdefault(cluster.alliance.name, []).append((str(cluster.pk), cluster.name))
    return list(groups.items())


class AllianceForm(forms.Form):
    name = forms.CharField(
        label="Name",
        validators=[name_validator("alliance")],
        error_messages={"required": "Enter the alliance's name"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, rename: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("name", field_width=Fluid.TWO_THIRDS)]
        if rename:
            del self.fields["description"]
            self.fields["name"].label = "New name"
        else:
            fields.append(Field.textarea("description", rows=3))
        button = "Rename alliance" if rename else "Add alliance"
        self.helper = _helper(*fields, button=button, action="rename" if rename else None)


class ClusterForm(forms.Form):
    alliance = forms.ModelChoiceField(
        queryset=Alliance.objects.active(),
        widget=Select,
        label="Area alliance",
        empty_label="Choose an alliance",
        error_messages={"required": "Choose the cluster's alliance"},
    )
    name = forms.CharField(
        label="Name",
        validators=[name_validator("cluster")],
        error_messages={"required": "Enter the cluster's name"},
    )
    communication_lead = UserChoiceField(
        queryset=User.objects.filter(is_active=True),
        widget=Select,
        label="Communication lead (optional)",
        required=False,
        empty_label="No communication lead",
    )
    linked_hub = forms.CharField(
        label="Linked teaching school hub or alliance (optional)",
        validators=[text_validator(LINKED_HUB)],
        required=False,
    )
    school_improvement_partner = forms.CharField(
        label="School Improvement Partner (SIP) (optional)",
        validators=[text_validator(SIP)],
        required=False,
    )

    def __init__(self, *args, button: str = "Add cluster", action: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("alliance"),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.select("communication_lead"),
            Field.text("linked_hub", field_width=Fluid.TWO_THIRDS),
            Field.text("school_improvement_partner", field_width=Fluid.TWO_THIRDS),
            button=button,
            action=action,
        )


class CloseForm(forms.Form):
    on = _date_field("Date it closes")

    def __init__(self, *args, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("on"), button=button, warning=True)


class MergeForm(forms.Form):
    """Step one of a merge: what to merge into, and when; step two confirms."""

    target = forms.ChoiceField(label="Merge into", choices=(), widget=Select)
    on = _date_field("Date of the merger")

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(source, Cluster):
            self.fields["target"].choices = [
                ("", "Choose a cluster"),
                *_cluster_choices(exclude=source),
            ]
            self.fields["target"].error_messages["required"] = "Choose the cluster to merge into"
            self.queryset = open_clusters()
        else:
            others = Alliance.objects.active().filter(partnership_id=source.partnership_id)
            self.queryset = others.exclude(pk=source.pk)
            self.fields["target"].choices = [("", "Choose an alliance")] + [
                (str(a.pk), a.name) for a in self.queryset
            ]
            self.fields["target"].error_messages["required"] = "Choose the alliance to merge into"
        self.helper = _helper(Field.select("target"), Field("on"), button="Continue")

    def clean_target(self):
        target = self.queryset.filter(pk=self.cleaned_data["target"]).first()
        if target is None:
            raise ValidationError("Choose one that is still open")
        return target


class BulkMoveForm(forms.Form):
    schools = SchoolChoiceField(
        queryset=School.objects.none(),
        label="Schools to move",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the schools to move"},
    )
    target = forms.ChoiceField(label="Move them to", choices=(), widget=Select)
    on = _date_field("Date of the move")

    def __init__(self, *args, cluster: Cluster, shown: list[School] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["schools"].queryset = School.objects.filter(
            cluster_memberships__cluster=cluster, cluster_memberships__ended_on__isnull=True
        )
        self.fields["schools"].shown = shown
        self.fields["target"].choices = [
            ("", "Choose a cluster"),
            *_cluster_choices(exclude=cluster),
            (NO_CLUSTER, "No cluster (take them out of this cluster)"),
        ]
        self.fields["target"].error_messages["required"] = "Choose where to move the schools"
        self.helper = _helper(
            Field.checkboxes("schools", legend_size="s", small=True),
            Field.select("target"),
            Field("on"),
            button="Move schools",
            action="move",
        )

    def clean_target(self):
        return _cluster_or_none(self.cleaned_data["target"])


def _cluster_or_none(value: str) -> Cluster | None:
    if value == NO_CLUSTER:
        return None
    cluster = open_clusters().filter(pk=value).first()
    if cluster is None:
        raise ValidationError("Choose an open cluster")
    return cluster


class AddSchoolsForm(forms.Form):
    urns = forms.CharField(
        label="URNs of the schools to add",
        help_text="Separate URNs with commas, spaces or new lines. A school in another cluster "
        "moves to this one.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the URN of at least one school"},
    )
    on = _date_field("Date they join")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("urns", rows=3), Field("on"), button="Add schools", action="add"
        )

    def clean_urns(self) -> list[School]:
        tokens = [t for t in re.split(r"[\s,;]+", self.cleaned_data["urns"]) if t]
        bad = [t for t in tokens if not t.isdigit() or len(t) > 9]
        if bad:
            raise ValidationError(f"URNs are numbers, like 100001: check {', '.join(bad)}")
        urns = list(dict.fromkeys(int(t) for t in tokens))
        schools = {s.urn: s for s in School.objects.filter(urn__in=urns)}
        unknown = [str(u) for u in urns if u not in schools]
        if unknown:
            raise ValidationError(
                f"There is no school with URN {', '.join(unknown)} in the register"
            )
        return [schools[u] for u in urns]


class SchoolMoveForm(forms.Form):
    cluster = forms.ChoiceField(label="Cluster", choices=(), widget=Select)
    on = _date_field("Date of the move")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [
            ("", "Choose a cluster"),
            (NO_CLUSTER, "No cluster"),
            *_cluster_choices(),
        ]
        self.fields["cluster"].error_messages["required"] = "Choose a cluster, or no cluster"
        self.helper = _helper(Field.select("cluster"), Field("on"), button="Move school")

    def clean_cluster(self):
        return _cluster_or_none(self.cleaned_data["cluster"])


class StructureUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Choose a CSV file to upload"},
    )
    create_missing = forms.BooleanField(
        label="Create the alliances and clusters in the file that do not exist yet",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("file"), Field.checkbox("create_missing"), button="Upload and apply"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        if upload.size == 0:
            raise ValidationError("The selected file is empty")
        upload_file_check(upload, name=upload.name, size=upload.size, kind="structure")
        return upload
