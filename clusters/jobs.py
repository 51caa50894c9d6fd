"""The kinds of background job the structure runs."""

from kernel.jobs import job_kind_register

STRUCTURE_IMPORT = job_kind_register(
    "structure_import", "Structure upload", file_permission="clusters.change_structure"
)
