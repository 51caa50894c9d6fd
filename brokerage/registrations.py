"""What brokerage adds to the shared registries: its navigation and its audit trail."""

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import subnav_register

from .models import ConflictDeclaration, Provider


def _conflict_label(record) -> str:
    provider = record.provider.name if record.provider else "a deleted provider"
    school = record.school.name if record.school else "a deleted school"
    return f"{provider} and {school}"


def register() -> None:
    subnav_register(
        "brokerage:home",
        "Providers",
        "brokerage:provider-list",
        permission="brokerage.view_providers",
        order=30,
    )
    audit_kind_register(
        "provider",
        "Support providers",
        Provider,
        order=70,
        entry_label=lambda record: record.name,
        entry_url=lambda record: url_or_none("brokerage:provider-detail", record.id),
    )
    audit_kind_register(
        "conflict",
        "Conflicts of interest",
        ConflictDeclaration,
        order=71,
        related=("provider", "school"),
        entry_label=_conflict_label,
        entry_url=lambda record: url_or_none("brokerage:provider-detail", record.provider_id),
    )
