"""GOV.UK forms for the provider directory (crispy-forms-gds); the services do the writing.

The entry form offers each person what they may set: officers every field; a provider their
own entry's details (they keep it, so they are its person); a headteacher their own school's
offer (kind "school", for a school they lead).
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout
from django import forms

from partnership.models import Role, User
from partnership.permissions import roles_of
from schools.models import Phase, School, Trust

from .models import Expertise, ProviderKind
from .provider_services import MAX_CAPACITY

NUMERIC = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
PHASE_CHOICES = [(p.value, p.label) for p in Phase if p != Phase.NOT_APPLICABLE]


def _helper(*fields, button: str, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.layout = Layout(*fields, *([Button("submit", button)] if button else []))
    return helper


class DirectoryFilterForm(forms.Form):
    """The directory's filters (GET): nothing is required."""

    text = forms.CharField(label="Name contains", required=False, max_length=100)
    expertise = forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.all(),
        label="Expertise",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phase = forms.ChoiceField(label="Phase", choices=[("", "Any phase"), *PHASE_CHOICES])
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *ProviderKind.choices])
    spare_capacity = forms.BooleanField(label="Only with spare capacity this term")
    include_inactive = forms.BooleanField(label="Include inactive entries")

    def __init__(self, *args, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phase", "kind", "spare_capacity", "include_inactive"):
            self.fields[name].required = False
        fields = [
            Field.text("text", field_width=Fluid.ONE_THIRD),
            Field.checkboxes("expertise", small=True, legend_size="s"),
            Field.select("phase"),
            Field.select("kind"),
            Field.checkbox("spare_capacity", small=True),
        ]
        if officer:
            fields.append(Field.checkbox("include_inactive", small=True))
        else:
            del self.fields["include_inactive"]
        self.helper = _helper(*fields, button="", method="get")
        self.helper.form_tag = False

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class ProviderForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    kind = forms.ChoiceField(label="Kind of provider", choices=ProviderKind.choices)
    school_urn = forms.IntegerField(
        widget=NUMERIC,
        label="School's URN (optional)",
        required=False,
        min_value=1,
        help_text="The school behind this entry, for example 116000",
        error_messages={"invalid": "Enter the school's URN as a number, like 116000"},
    )
    own_school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        label="Your school",
        empty_label=None,
        error_messages={"required": "Choose your school"},
    )
    trust_name = forms.CharField(
        label="Trust (optional)", required=False, help_text="The trust's name as GIAS spells it"
    )
    person_email = forms.EmailField(
        label="Email of the person who keeps this entry (optional)", required=False
    )
    expertise = forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.all(),
        label="Areas of expertise",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area of expertise"},
    )
    phases = forms.MultipleChoiceField(
        label="Phases",
        choices=PHASE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the phases it works with"},
    )
    capacity_days_per_term = forms.IntegerField(
        widget=NUMERIC,
        label="Capacity in days per term",
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={
            "required": "Enter the days a term it can give",
            "min_value": "Capacity must be 0 days or more",
            "max_value": f"Capacity must be {MAX_CAPACITY} days a term or fewer",
            "invalid": "Enter the capacity as a whole number of days, like 10",
        },
    )
    can_be_paid = forms.BooleanField(
        label="Can be paid from the fund", required=False, initial=True
    )
    vat_registered = forms.BooleanField(label="VAT registered", required=False)
    description = forms.CharField(
        label="What it offers (optional)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, user, button: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        roles = roles_of(user)
        self.user, self.officer = user, roles.is_officer
        self.head_offer = not self.officer and bool(roles.school_ids) and not self._is_provider()
        if self.head_offer:
            self.fields["name"].label = "Name (optional)"
            self.fields["name"].help_text = "Leave it blank to use your school's name"
            self.fields["own_school"].queryset = School.objects.filter(pk__in=roles.school_ids)
            for name in ("kind", "school_urn", "trust_name", "person_email"):
                del self.fields[name]
        else:
            del self.fields["own_school"]
            if not self.officer:
                for name in ("school_urn", "trust_name", "person_email"):
                    del self.fields[name]
        self.helper = _helper(*self._layout(), button=button)

    def _is_provider(self) -> bool:
        return Role.PROVIDER in roles_of(self.user).roles

    def _layout(self) -> list:
        layout = [Field.text("name", field_width=Fluid.TWO_THIRDS)]
        layout += [Field.select(n) for n in ("own_school", "kind") if n in self.fields]
        if "school_urn" in self.fields:
            layout += [
                Field.text("school_urn", field_width=Fixed.TEN),
                Field.text("trust_name", field_width=Fluid.TWO_THIRDS),
                Field.text("person_email", field_width=Fluid.TWO_THIRDS),
            ]
        return layout + [
            Field.checkboxes("expertise", small=True, legend_size="s"),
            Field.checkboxes("phases", small=True, legend_size="s"),
            Field.text("capacity_days_per_term", field_width=Fixed.FIVE),
            Field.checkbox("can_be_paid", small=True),
            Field.checkbox("vat_registered", small=True),
            Field.textarea("description"),
        ]

    def clean_school_urn(self):
        urn = self.cleaned_data.get("school_urn")
        if urn is None:
            return None
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError(f"There is no school with URN {urn}")
        return school

    def clean_trust_name(self):
        name = (self.cleaned_data.get("trust_name") or "").strip()
        if not name:
            return None
        trust = Trust.objects.filter(name__iexact=name).first()
        if trust is None:
            raise forms.ValidationError(f"There is no trust called {name}")
        return trust

    def clean_person_email(self):
        email = (self.cleaned_data.get("person_email") or "").strip()
        if not email:
            return None
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(f"There is no active user with the email {email}")
        return person

    def service_fields(self) -> dict:
        """The cleaned values as the services' keyword arguments."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "name",
                "phases",
                "capacity_days_per_term",
                "can_be_paid",
                "vat_registered",
                "description",
            )
        }
        fields["expertise"] = data["expertise"]
        if self.head_offer:
            fields |= {"kind": ProviderKind.SCHOOL, "school": data["own_school"]}
        else:
            fields["kind"] = data["kind"]
        if "school_urn" in self.fields:
            fields |= {
                "school": data["school_urn"],
                "trust": data["trust_name"],
                "person": data["person_email"],
            }
        return fields


class ConflictForm(forms.Form):
    school_urn = forms.IntegerField(
        widget=NUMERIC,
        label="School's URN",
        min_value=1,
        error_messages={
            "required": "Enter the school's URN",
            "invalid": "Enter the school's URN as a number, like 116000",
        },
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the conflict of interest"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("school_urn", field_width=Fixed.TEN),
            Field.textarea("reason"),
            button="Declare conflict",
        )

    def clean_school_urn(self):
        urn = self.cleaned_data["school_urn"]
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError(f"There is no school with URN {urn}")
        return school


class ExpertiseForm(forms.Form):
    name = forms.CharField(
        label="Area of expertise",
        max_length=100,
        error_messages={"required": "Enter the name of the area of expertise"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name", field_width=Fluid.ONE_HALF), button="Add area of expertise"
        )


class MatchForm(forms.Form):
    """What matching needs (GET): the school by URN, the areas of need, and the phase."""

    school = forms.IntegerField(
        widget=NUMERIC,
        label="School's URN",
        min_value=1,
        error_messages={
            "required": "Enter the school's URN",
            "invalid": "Enter the school's URN as a number, like 116000",
        },
    )
    expertise = forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.all(),
        label="Areas of need",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area of need"},
    )
    phase = forms.ChoiceField(
        label="Phase", choices=[("", "The school's own phase"), *PHASE_CHOICES], required=False
    )
    concern_is_trust = forms.BooleanField(label="The concern is the school's trust", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("school", field_width=Fixed.TEN),
            Field.checkboxes("expertise", small=True, legend_size="s"),
            Field.select("phase"),
            Field.checkbox("concern_is_trust", small=True),
            button="Find providers",
            method="get",
        )
