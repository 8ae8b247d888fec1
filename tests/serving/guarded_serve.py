"""`synthner ...` with the network guard on and torch unimportable (as on the base install).

Usage: python tests/serving/guarded_serve.py serve --model ... (NETWORK_GUARD_LOG names the log).
"""

import os
import sys
from pathlib import Path

from network_guard import install  # this folder is sys.path[0] when run as a script

install(Path(os.environ["NETWORK_GUARD_LOG"]))
sys.modules["torch"] = None  # type: ignore[assignment]
sys.modules["transformers"] = None  # type: ignore[assignment]

from synthner.trainer.cli import app  # noqa: E402

app(prog_name="synthner")
