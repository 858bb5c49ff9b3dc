"""Per-stage names and sizes: the one place that decides what a stage is called and how big it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STAGES = ("dev", "prod")
REPO_ROOT = Path(__file__).resolve().parent.parent
# The libraries' settings every function gets (no code of ours reads them). pydantic looks for
# plugins in every installed distribution's entry points when it builds its first model
# (importlib.metadata: 11-18 ms of a cold worker here); Tandem uses none.
RUNTIME_ENVIRONMENT = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}


@dataclass(frozen=True)
class Handler:
    """A Chalice handler as it appears in Chalice's SAM template, with its size."""

    logical_id: str
    short_name: str
    timeout: int
    memory: int
    sqs_event: str | None = None


# API Gateway gives an integration 29 s at most; the worker runs the agent (LLM calls with timeouts).
HANDLERS = (
    Handler("APIHandler", "api", 29, 512),
    Handler("InboundWorker", "inbound-worker", 120, 1024, "InboundWorkerSqsEventSource"),
    Handler("InboundEmail", "inbound-email", 60, 512, "InboundEmailSqsEventSource"),
    Handler("SendFollowup", "send-followup", 60, 256),
    Handler("ResolveIdle", "resolve-idle", 60, 256),
)
HANDLERS_BY_ID = {h.logical_id: h for h in HANDLERS}
# Visibility timeout of a Lambda-consumed queue: AWS recommends at least six times the handler timeout.
VISIBILITY_FACTOR = 6


@dataclass(frozen=True)
class StageConfig:
    """What differs between stages: names, retention and the operator's context values."""

    stage: str
    source_dir: Path = REPO_ROOT
    public_base_url: str | None = None
    email_recipients: tuple[str, ...] = ()
    alarm_email: str | None = None
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, not {self.stage!r}")

    @property
    def prefix(self) -> str:
        """The prefix of every named resource of this stage."""
        return f"tandem-{self.stage}"

    @property
    def is_prod(self) -> bool:
        """Whether data must survive a stack deletion."""
        return self.stage == "prod"

    @property
    def parameter_path(self) -> str:
        """The SSM path under which secrets and operator settings live."""
        return f"/tandem/{self.stage}/"

    def function_name(self, logical_id: str) -> str:
        """The fixed Lambda name of a handler (fixed so its ARN needs no reference to itself)."""
        return f"{self.prefix}-{HANDLERS_BY_ID[logical_id].short_name}"

    @classmethod
    def from_context(cls, get: object) -> StageConfig:
        """Build from CDK context (`-c stage=prod -c email_recipients=a.com,b.com ...`)."""
        assert callable(get)
        recipients = str(get("email_recipients") or "")
        source = get("source_dir")
        return cls(
            stage=str(get("stage") or "dev"),
            source_dir=Path(str(source)).resolve() if source else REPO_ROOT,
            public_base_url=get("public_base_url") or None,
            email_recipients=tuple(r.strip() for r in recipients.split(",") if r.strip()),
            alarm_email=get("alarm_email") or None,
            log_level=str(get("log_level") or "INFO"),
        )
