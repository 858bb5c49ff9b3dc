"""The cold starts' configuration as the CDK app deploys it.

- Secrets and operator settings in SSM under `SECRETS_PARAMETER_PATH` (docs/deploy.md's step 3),
  none of them in the function's environment (infra/tandem_stack.py passes names and ARNs only).
- Only the libraries the package ships: what infra/lean.py leaves out of the zip cannot be
  imported (`hide_unshipped`, run in each child before its clock). openai, for one, imports aiohttp
  when it is installed, as it is in the virtualenv, and not on Lambda.
"""

from __future__ import annotations

import importlib.abc
import importlib.metadata
import sys
from collections.abc import Sequence
from typing import Any

from infra.config import RUNTIME_ENVIRONMENT
from infra.lean import UNSHIPPED, UNSHIPPED_SUBFOLDERS, normalized

PARAMETER_PATH = "/tandem/bench/"
# What docs/deploy.md puts in SSM for an installation (besides the secrets).
OPERATOR: tuple[str, ...] = ("PUBLIC_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_SMS_FROM")
OPERATOR += ("TWILIO_WHATSAPP_FROM", "EMAIL_FROM", "CHAT_ALLOWED_ORIGINS")


def put_parameters(ssm: Any, env: dict[str, str], extra: dict[str, str]) -> int:
    """The app's secrets and operator settings (from `env`, then `extra`) as SSM parameters; how
    many were put."""
    from chalicelib.config.secrets import SECRET_SETTINGS

    values = {name: env[name] for name in (*SECRET_SETTINGS, *OPERATOR) if env.get(name)}
    values |= extra
    for name, value in values.items():
        kind = "SecureString" if name in SECRET_SETTINGS else "String"
        ssm.put_parameter(Name=PARAMETER_PATH + name, Value=value, Type=kind, Overwrite=True)
    return len(values)


def deployed_env(env: dict[str, str]) -> dict[str, str]:
    """The function's environment as deployed: no setting that SSM holds, the path to them, the
    libraries' settings (infra/config.py's RUNTIME_ENVIRONMENT)."""
    from chalicelib.config.secrets import PARAMETER_SETTINGS

    kept = {k: v for k, v in env.items() if k not in PARAMETER_SETTINGS}
    return {**kept, **RUNTIME_ENVIRONMENT, "SECRETS_PARAMETER_PATH": PARAMETER_PATH}


def unshipped_modules() -> set[str]:
    """The top-level modules of the distributions the package leaves out (as installed here)."""
    names: set[str] = set()
    for dist in importlib.metadata.distributions():
        if normalized(dist.metadata["Name"] or "") not in UNSHIPPED:
            continue
        for path in dist.files or []:
            top = path.parts[0]
            if not top.endswith((".dist-info", ".data")) and top != "..":
                names.add(top.removesuffix(".py"))
    return names


class Unshipped(importlib.abc.MetaPathFinder):
    """Refuses the modules the Lambda package does not carry, as Lambda's import would."""

    def __init__(self, tops: set[str], packages: tuple[str, ...]) -> None:
        self.tops, self.packages = tops, packages

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> None:
        """Raise ModuleNotFoundError for a left-out module; let every other finder look."""
        inside = any(fullname.startswith(p) for p in self.packages)
        if fullname.split(".", 1)[0] in self.tops or inside:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def hide_unshipped() -> None:
    """Make this interpreter import as the Lambda package does (infra/lean.py's list)."""
    packages = tuple(f.replace("/", ".") for f in UNSHIPPED_SUBFOLDERS)
    sys.meta_path.insert(0, Unshipped(unshipped_modules(), packages))
