"""What every provider builds on: settings, test overrides, AWS clients, the table, the store's policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypedDict

from chalicelib.config.settings import Settings
from chalicelib.store.table import Table

if TYPE_CHECKING:  # each handler imports only what it uses (cold starts)
    from botocore.client import BaseClient

    from chalicelib.agent.base import Agent
    from chalicelib.agent.tools import FollowUpScheduler
    from chalicelib.channels.sender import ChannelSender
    from chalicelib.config.store_config import StoreConfig
    from chalicelib.domain.vocabulary import Channel


class Overrides(TypedDict, total=False):
    """Parts a test or a simulation builds itself instead of the ones settings choose."""

    store_config: StoreConfig
    senders: dict[Channel, ChannelSender]
    agent: Agent
    schedule_follow_up: FollowUpScheduler
    sesv2: BaseClient
    clock: Callable[[], datetime]


class Core:
    """Settings, overrides and the AWS clients every provider shares."""

    settings: Settings
    overrides: Overrides

    def _aws(self, service: str, kind: Literal["client", "resource"] = "client") -> BaseClient:
        """A client (or a boto3 resource) of the process's one session (the secrets' too): its
        loader reads endpoints and models once."""
        from chalicelib.runtime.session import client, resource

        factory = resource if kind == "resource" else client
        made: BaseClient = factory(
            service, self.settings.aws_region, self.settings.aws_endpoint_url
        )
        return made

    @property
    def human_sla_seconds(self) -> int:
        """The promised human response time: the store's policy, else the setting."""
        return self.store_config.escalation.human_sla_seconds or self.settings.human_sla_seconds

    @cached_property
    def store_config(self) -> StoreConfig:
        """The store's policy file (STORE_CONFIG), or the bundled demo config."""
        if "store_config" in self.overrides:
            return self.overrides["store_config"]
        from chalicelib.config.store_config import load_store_config

        return load_store_config(self.settings.store_config)

    @cached_property
    def table(self) -> Table:
        """The single DynamoDB table."""
        return Table(self._aws("dynamodb"), self.settings.table_name)

    @cached_property
    def sqs(self) -> BaseClient:
        """The SQS client."""
        return self._aws("sqs")

    @cached_property
    def s3(self) -> BaseClient:
        """The S3 client (mail the SES S3 action stored)."""
        return self._aws("s3")

    @cached_property
    def sesv2(self) -> BaseClient:
        """The SES v2 client that sends email."""
        return self.overrides.get("sesv2") or self._aws("sesv2")
