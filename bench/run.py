"""Run the benchmarks (``make bench``, with DATABASE_URL naming the PostgreSQL server).

Each benchmark module has a ``main()`` that prints a table and writes ``bench/out/<name>.json``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BENCHMARKS = ["gias"]


def main() -> None:
    sys.path.insert(0, str(BENCH_DIR))
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
