"""The kinds of background job the board runs."""

from kernel.jobs import job_kind_register

BOARD_PACK = job_kind_register(
    "board_pack",
    "Board pack",
    noun="board pack",
    unchanged="The previous board pack is still the current one",
    again="create the board pack again",
)
