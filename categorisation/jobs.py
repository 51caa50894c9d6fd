"""The kinds of background job categorisation runs."""

from kernel.jobs import job_kind_register

PERFORMANCE_IMPORT = job_kind_register(
    "performance_import",
    "Performance data import",
    file_permission="categorisation.import_data",
)
CATEGORISATION_RUN = job_kind_register(
    "categorisation_run",
    "Categorisation run",
    noun="run",
    unchanged="No results were saved and the agreed categorisation has not changed",
    again="start the run again",
)
