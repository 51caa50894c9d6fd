"""The kinds of background job the register runs."""

from kernel.jobs import job_kind_register

GIAS_IMPORT = job_kind_register(
    "gias_import", "School register import", file_permission="schools.import_register"
)
