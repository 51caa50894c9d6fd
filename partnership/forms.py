from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fluid,
    Layout,
)
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from .models import Alliance, Role, RoleAssignment, User


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address and password."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = "Password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )

    def clean_username(self) -> str:
        # django-axes counts failures under the address as given here: one count per account.
        return User.objects.normalize_email(self.cleaned_data["username"])


# People and roles --------------------------------------------------------------------------

ROLE_HINTS = {
    Role.OFFICER: "Keeps the register and structure, manages people",
    Role.BOARD_CHAIR: "Independent chair of the strategic board",
    Role.BOARD_MEMBER: "Nominated by their group; a substitute votes in place of their member",
    Role.ALLIANCE_CHAIR: "Leads an area alliance",
    Role.CLUSTER_LEAD: "Leads a family cluster",
    Role.HEADTEACHER: "Leads a school",
    Role.PROVIDER: "Gives school-to-school support",
}


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month, year) with messages in the service's voice."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Enter a real date"

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [])]
        if any(parts) and not all(parts):
            raise ValidationError("Enter the day, month and year")
        return super().clean(value)

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError("Enter a real date") from None


def _scope_model(name: str):
    """The model a role's scope points at (schools and clusters sit above people in the
    layers: the form follows the role's foreign key rather than importing those apps)."""
    return RoleAssignment._meta.get_field(name).related_model


class SchoolURNField(forms.CharField):
    """A school chosen by typing its URN (a select of every school would be far too long)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if not value.isdigit() or len(value) != 6:
            raise ValidationError("Enter the school's URN as 6 digits, like 123456")
        school = _scope_model("school").objects.filter(urn=int(value)).first()
        if school is None:
            raise ValidationError(f"There is no school with URN {value}")
        return school


class PersonInviteForm(forms.Form):
    """Who to invite: they get an email with a link to choose a password."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    first_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter their last name"}
    )
    job_title = forms.CharField(max_length=200, required=False)
    organisation = forms.CharField(
        max_length=200, required=False, help_text="For example, the school, trust or the council"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="off"),
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Send invitation"),
        )

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])


class RoleAssignForm(forms.Form):
    """A role and, depending on the role, its scope: an alliance, a cluster or a school."""

    role = forms.ChoiceField(
        label="Role",
        choices=[Choice(role.value, role.label, hint=ROLE_HINTS[role]) for role in Role],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    alliance = forms.ModelChoiceField(
        queryset=Alliance.objects.none(), required=False, empty_label="Choose an alliance"
    )
    cluster = forms.ModelChoiceField(
        queryset=RoleAssignment.objects.none(), required=False, empty_label="Choose a cluster"
    )
    school = SchoolURNField(
        label="School URN",
        required=False,
        help_text="The 6-digit URN from Get Information About Schools, for example 100001",
    )
    substitute_for = forms.ModelChoiceField(
        label="Substitute for (optional)",
        queryset=RoleAssignment.objects.none(),
        required=False,
        empty_label="Not a substitute",
        help_text="A substitute votes in place of the member they stand in for",
    )
    nominated_by = forms.CharField(
        label="Nominated by (optional)",
        max_length=200,
        required=False,
        help_text="The group that nominated them, for example the primary heads' association",
    )
    starts_on = GovukDateField(
        label="Start date (optional)", required=False, help_text="Leave empty to start today"
    )

    # Which of the revealed questions belong to which role; the others are ignored.
    ROLE_FIELDS = {
        Role.ALLIANCE_CHAIR: ("alliance",),
        Role.CLUSTER_LEAD: ("cluster",),
        Role.HEADTEACHER: ("school",),
        Role.BOARD_MEMBER: ("substitute_for", "nominated_by"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = Alliance.objects.active()
        clusters = _scope_model("cluster").objects.active().select_related("alliance")
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].label_from_instance = lambda c: f"{c.name} ({c.alliance.name})"
        self.fields["substitute_for"].queryset = (
            RoleAssignment.objects.current()
            .filter(role=Role.BOARD_MEMBER, substitute_for__isnull=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["substitute_for"].label_from_instance = lambda a: (
            f"{a.user}" + (f" ({a.nominated_by})" if a.nominated_by else "")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            ConditionalRadios(
                "role",
                *(self._question(role) for role in Role),
            ),
            Field("starts_on"),
            Button("submit", "Assign role"),
        )

    def _question(self, role: Role):
        fields = self.ROLE_FIELDS.get(role)
        if not fields:
            return role.label
        layout = {
            "alliance": Field.select("alliance"),
            "cluster": Field.select("cluster"),
            "school": Field.text("school", field_width=10, inputmode="numeric"),
            "substitute_for": Field.select("substitute_for"),
            "nominated_by": Field.text("nominated_by", field_width=Fluid.TWO_THIRDS),
        }
        return ConditionalQuestion(role.label, *(layout[name] for name in fields))

    def clean(self):
        data = super().clean()
        # Without JavaScript every question shows: answers under another role do not count.
        relevant = self.ROLE_FIELDS.get(data.get("role"), ())
        for name in ("alliance", "cluster", "school", "substitute_for", "nominated_by"):
            if name not in relevant:
                data[name] = "" if name == "nominated_by" else None
                self.errors.pop(name, None)
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "alliance": data["alliance"],
            "cluster": data["cluster"],
            "school": data["school"],
            "substitute_for": data["substitute_for"],
            "nominated_by": data["nominated_by"],
            "starts_on": data["starts_on"],
        }


class RoleEndForm(forms.Form):
    """When a role ends: today unless another date is given."""

    ends_on = GovukDateField(
        label="End date (optional)",
        required=False,
        help_text="Leave empty to end the role today. For example, 31 8 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("ends_on"), Button.warning("submit", "End role"))


class PeopleFilterForm(forms.Form):
    """Filters for the list of people."""

    NO_ROLE = "none"

    q = forms.CharField(label="Name or email address", required=False, max_length=200)
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "Any role"), *Role.choices, (NO_ROLE, "No current role")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL),
            Field.select("role"),
            Button.secondary("filter", "Filter"),
        )


class PasswordResetIncludingInvitedForm(PasswordResetForm):
    """Also sends the link to invited people who have not chosen a password yet: the link is
    the same one-use token as their invitation, so "Forgotten your password?" works for them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page lays out its own field; the helper lets the error summary show.
        self.helper = FormHelper()
        self.helper.form_tag = False

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)
