"""Print the dependencies declared in pyproject.toml (or one extra's) for pip, one per argument."""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
extra = sys.argv[1] if len(sys.argv) > 1 else None
deps = project["optional-dependencies"][extra] if extra else project["dependencies"]
print(" ".join(d.replace(" ", "") for d in deps))
