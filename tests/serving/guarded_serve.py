"""`synthner ...` with the network guard on and, as on a base + serve install, no torch and
no module that only other extras install (BLOCKED_MODULES, comma-separated, is unimportable).

Usage: python tests/serving/guarded_serve.py serve --model ... (NETWORK_GUARD_LOG names the log).
"""

import os
import sys
from pathlib import Path

from network_guard import install  # this folder is sys.path[0] when run as a script

install(Path(os.environ["NETWORK_GUARD_LOG"]))
for module in {"torch", "transformers", *filter(None, os.environ.get("BLOCKED_MODULES", "").split(","))}:
    sys.modules[module] = None  # type: ignore[assignment]

from synthner.trainer.cli import app  # noqa: E402

app(prog_name="synthner")
