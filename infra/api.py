"""The Chalice app in CDK: packaged by `chalice.cdk.Chalice`, then fixed up where Chalice can't."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from aws_cdk import CfnResource
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from .bytecode import RUNTIME, add_bytecode_once
from .config import HANDLERS, StageConfig
from .lean import prune


class CompiledChalice(Chalice):
    """Chalice's construct, its package given bytecode (infra/bytecode.py) before CDK stages it.

    The construct packages in `_package_app` and takes the zip as an asset right after; a test of
    the synthesized asset (tests/infra/test_package.py) fails if a Chalice release moves either.
    """

    def _package_app(self) -> None:
        # Chalice writes its cached package (.chalice/deployments/) in place: two synths of one
        # app at once (the test workers') would read each other's half-written zip. One at a time.
        deployments = Path(self.source_dir, ".chalice", "deployments")
        deployments.mkdir(parents=True, exist_ok=True)
        with open(deployments / ".package.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._package_with_bytecode(deployments)

    def _package_with_bytecode(self, deployments: Path) -> None:
        """Chalice's package without what never runs (infra/lean.py), then its bytecode (compiled
        once per package, kept in `deployments`)."""
        super()._package_app()
        package = Path(self._sam_package_dir)
        sam = json.loads((package / "sam.json").read_text())
        runtimes = {
            resource["Properties"].get("Runtime")
            for resource in sam["Resources"].values()
            if resource["Type"] == "AWS::Serverless::Function"
        }
        if runtimes != {RUNTIME}:  # bytecode of another Python would be ignored, not wrong
            raise RuntimeError(f"bytecode is for {RUNTIME}, the functions run {sorted(runtimes)}")
        prune(package / "deployment.zip")  # what pip installs but the app never imports (lean.py)
        # Chalice's own cache of packages (gitignored): dev's and prod's are the same package.
        add_bytecode_once(package / "deployment.zip", deployments)


@contextmanager
def scratch_cwd() -> Iterator[None]:
    """Run in a temporary directory: the construct leaves a ~13 MB `chalice.out/` in the cwd."""
    previous = os.getcwd()
    scratch = tempfile.mkdtemp(prefix="tandem-chalice-")
    os.chdir(scratch)
    try:
        yield
    finally:
        os.chdir(previous)
        shutil.rmtree(scratch, ignore_errors=True)


def handler_resource(app: Chalice, logical_id: str) -> CfnResource:
    """The packaged function of one handler, or an error naming the handler app.py lacks."""
    try:
        return app.get_resource(logical_id)
    except RuntimeError as error:
        raise LookupError(f"app.py declares no handler packaged as {logical_id!r}") from error


def chalice_app(
    scope: Construct,
    config: StageConfig,
    *,
    role: iam.Role,
    environment: Mapping[str, str],
    event_queues: Mapping[str, sqs.IQueue],
) -> CompiledChalice:
    """Package the app from `config.source_dir` with our role, then set names, sizes and sources."""
    # `chalice package` resolves the region of ARNs it builds from the environment.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    stage_config = {
        "api_gateway_endpoint_type": "REGIONAL",
        "autogen_policy": False,
        "manage_iam_role": False,
        "iam_role_arn": role.role_arn,
    }
    # CfnInclude reads the packaged template and copies the zip into the assembly at construction,
    # so the scratch folder can go as soon as the construct exists.
    with scratch_cwd():
        app = CompiledChalice(
            scope, "Chalice", source_dir=str(config.source_dir), stage_config=stage_config
        )
    for handler in HANDLERS:
        function = handler_resource(app, handler.logical_id)
        function.add_property_override("FunctionName", config.function_name(handler.logical_id))
        function.add_property_override("Timeout", handler.timeout)
        function.add_property_override("MemorySize", handler.memory)
        function.add_property_override("Role", role.role_arn)
        for name, value in environment.items():
            function.add_property_override(f"Environment.Variables.{name}", value)
        if handler.sqs_event:
            event = f"Events.{handler.sqs_event}.Properties"
            # Chalice takes the queue by name; the real queue is this stage's, named by infra.
            function.add_property_override(
                f"{event}.Queue", event_queues[handler.logical_id].queue_arn
            )
            # Chalice can't declare it; without it one failed record retries the whole batch.
            function.add_property_override(
                f"{event}.FunctionResponseTypes", ["ReportBatchItemFailures"]
            )
    return app
