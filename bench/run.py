"""Run the benchmarks (``make bench``, with DATABASE_URL naming the PostgreSQL server).

Each benchmark module has a ``main()`` that prints a table and writes ``bench/out/<name>.json``.
Each runs in its own process: each configures Django for its own throwaway database, and
``bench/categorisation.py`` shares its name with the categorisation app.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BENCHMARKS = ["gias", "categorisation", "performance_data", "moderation", "matching"]


def main() -> None:
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        subprocess.run([sys.executable, str(BENCH_DIR / f"{name}.py")], check=True)


if __name__ == "__main__":
    main()
