"""CDK entry point: `python app.py` (or the CDK CLI via cdk.json) synthesizes one stage."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Run as a script from infra/: make the repository root importable (for `infra.*` and Chalice).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# jsii prints a banner on every synth for node versions it no longer supports: not actionable here.
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

import aws_cdk as cdk

from infra.config import StageConfig
from infra.tandem_stack import TandemStack


def build(app: cdk.App) -> TandemStack:
    """Add the stage named by context `stage` (or env TANDEM_STAGE; default dev) to the app."""
    context = {"stage": os.environ.get("TANDEM_STAGE", "dev")}

    def get(key: str) -> object:
        return app.node.try_get_context(key) or context.get(key)

    config = StageConfig.from_context(get)
    env = None
    if os.environ.get("CDK_DEFAULT_ACCOUNT"):
        env = cdk.Environment(
            account=os.environ["CDK_DEFAULT_ACCOUNT"], region=os.environ.get("CDK_DEFAULT_REGION")
        )
    return TandemStack(app, config.prefix, config, env=env, description=f"Tandem ({config.stage})")


def main() -> None:
    """Synthesize into CDK_OUTDIR (set by the CLI) or ./cdk.out."""
    app = cdk.App(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))
    build(app)
    app.synth()


if __name__ == "__main__":
    main()
