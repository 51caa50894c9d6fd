"""What the register adds to the shared registries: its navigation and its audit trail."""

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import nav_register

from .models import School


def register() -> None:
    nav_register("Schools", "schools:list", permission="schools.view_register", order=20)
    nav_register("Imports", "schools:import", permission="schools.import_register", order=50)
    audit_kind_register(
        "school",
        "Schools",
        School,
        order=10,
        entry_label=lambda record: f"{record.name} ({record.urn})",
        entry_url=lambda record: url_or_none("schools:detail", record.urn),
    )
