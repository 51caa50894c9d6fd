"""What people and roles add to the shared registries: navigation, the audit trail, and the
answer to "what may this person see" that every app's ``visible_to`` asks."""

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import nav_register

from .models import Alliance, Partnership, RoleAssignment


def _role_label(record) -> str:
    scope = record.alliance or record.cluster or record.school
    role = dict(RoleAssignment._meta.get_field("role").flatchoices).get(record.role)
    person = record.user or f"person {record.user_id} (deleted)"
    return f"{person}: {role}, {scope}" if scope else f"{person}: {role}"


def register() -> None:
    nav_register("People", "partnership:people", permission="partnership.manage_people", order=60)
    audit_kind_register(
        "partnership",
        "Partnership",
        Partnership,
        order=20,
        entry_url=lambda record: url_or_none("clusters:structure"),
    )
    audit_kind_register(
        "alliance",
        "Alliances",
        Alliance,
        order=30,
        entry_url=lambda record: url_or_none("clusters:alliance-detail", record.id),
    )
    audit_kind_register(
        "role",
        "Role assignments",
        RoleAssignment,
        order=60,
        related=("user", "alliance", "cluster", "school"),
        entry_label=_role_label,
        entry_url=lambda record: url_or_none("partnership:person", record.user_id),
        name_joins=("user", "alliance", "cluster", "school"),
        name=lambda assignment: f"{assignment.user}: {assignment}",
    )
