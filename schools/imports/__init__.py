"""File readers for the register: a file's bytes in, validated values or every problem out."""

from .gias import GiasRows, ProgressCallback, gias_file_read

__all__ = ["GiasRows", "ProgressCallback", "gias_file_read"]
