"""Running `python -m tandem_cli` as a user would, in a clean environment."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from tests.harness import ROOT, clean_environment


def tandem(
    *args: str, stack: Any = None, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    """`tandem ARGS` (against `stack` when given); its exit code, stdout and stderr."""
    where = ["--api", stack.api_url, "--aws-endpoint", stack.moto_url] if stack else []
    command = [sys.executable, "-m", "tandem_cli", *where, *args]
    environment = {**clean_environment(), **env}
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout
    )
