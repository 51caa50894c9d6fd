"""The kinds of background job categorisation runs."""

from kernel.jobs import job_kind_register

PERFORMANCE_IMPORT = job_kind_register("performance_import", "Performance data import")
CATEGORISATION_RUN = job_kind_register("categorisation_run", "Categorisation run")
