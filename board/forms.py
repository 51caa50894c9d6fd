"""The audit trail's filters."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.db.models import Q

from kernel.audit import audit_kinds
from partnership.models import Role, User


class AuditFilterForm(forms.Form):
    """Filters for the audit trail: the kind of record and who made the change."""

    SYSTEM = "system"

    kind = forms.ChoiceField(label="Kind of record", required=False)
    person = forms.ChoiceField(label="Changed by", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", "Everything"),
            *((key, kind.label) for key, kind in audit_kinds().items()),
        ]
        # The people who can change records: officers past and present, and superusers.
        people = (
            User.objects.filter(Q(role_assignments__role=Role.OFFICER) | Q(is_superuser=True))
            .distinct()
            .order_by("last_name", "first_name", "email")
        )
        self.fields["person"].choices = [
            ("", "Anyone"),
            (self.SYSTEM, "System and imports"),
            *((str(person.pk), f"{person} ({person.email})") for person in people),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("kind"), Field.select("person"), Button.secondary("filter", "Filter")
        )
