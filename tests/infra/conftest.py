"""The synthesized templates, shared by the infra tests: one synth of each stage per session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cloud assembly's folder: the synthesized templates' assets are staged there."""
    return tmp_path_factory.mktemp("cdk.out")


@pytest.fixture(scope="session")
def templates(cdk_out: Path) -> dict[str, dict[str, Any]]:
    """The dev and prod templates, synthesized from the repository's Chalice app (or TANDEM_APP_DIR)."""
    source = Path(os.environ.get("TANDEM_APP_DIR") or REPO_ROOT)
    if not (source / ".chalice" / "config.json").exists():
        pytest.skip(f"no Chalice app in {source} yet")
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    import aws_cdk as cdk
    from aws_cdk.assertions import Template

    from infra.config import StageConfig
    from infra.tandem_stack import TandemStack

    app = cdk.App(outdir=str(cdk_out))
    stacks = {
        s: TandemStack(app, f"tandem-{s}", StageConfig(s, source_dir=source))
        for s in ("dev", "prod")
    }
    return {stage: Template.from_stack(stack).to_json() for stage, stack in stacks.items()}


@pytest.fixture(scope="session")
def dev(templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The dev template."""
    return templates["dev"]
