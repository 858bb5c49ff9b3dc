"""EventBridge Scheduler one-time schedules that invoke the follow-up Lambda."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import TransientError

if TYPE_CHECKING:
    from botocore.client import BaseClient

RETRY_POLICY = {"MaximumEventAgeInSeconds": 6 * 3600, "MaximumRetryAttempts": 20}
TRANSIENT = {"ThrottlingException", "InternalServerException", "ServiceQuotaExceededException"}


def at_expression(moment: datetime) -> str:
    """`at(yyyy-mm-ddThh:mm:ss)` in UTC, the one-time schedule expression."""
    return f"at({moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S})"


class FollowUpSchedules:
    """Creates and deletes follow-up schedules in one group, all with the same target and role."""

    def __init__(
        self,
        client: Callable[[], Any],
        group: str,
        target_arn: str,
        role_arn: str,
        dlq_arn: str = "",
    ) -> None:
        self.make_client = client
        self.group = group
        self.target_arn = target_arn
        self.role_arn = role_arn
        self.dlq_arn = dlq_arn

    @cached_property
    def client(self) -> BaseClient:
        """The boto3 scheduler client, made on first use (cold start: not on every path)."""
        return self.make_client()

    def create(self, name: str, due: datetime, payload: dict[str, Any]) -> None:
        """Create the schedule; one that already exists under this name is left as it is."""
        target: dict[str, Any] = {
            "Arn": self.target_arn,
            "RoleArn": self.role_arn,
            "Input": json.dumps(payload),
            "RetryPolicy": RETRY_POLICY,
        }
        if self.dlq_arn:
            target["DeadLetterConfig"] = {"Arn": self.dlq_arn}
        try:
            self.client.create_schedule(
                Name=name,
                GroupName=self.group,
                ScheduleExpression=at_expression(due),
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                Target=target,
                ActionAfterCompletion="DELETE",
                Description="Tandem follow-up",
            )
        except ClientError as error:
            if _code(error) != "ConflictException":
                raise _transient_or(error) from error
        except BotoCoreError as error:
            raise TransientError("the scheduler did not answer") from error

    def delete(self, name: str) -> None:
        """Delete the schedule; one already gone (fired, deleted) is fine."""
        try:
            self.client.delete_schedule(Name=name, GroupName=self.group)
        except ClientError as error:
            if _code(error) != "ResourceNotFoundException":
                raise _transient_or(error) from error
        except BotoCoreError as error:
            raise TransientError("the scheduler did not answer") from error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _transient_or(error: ClientError) -> Exception:
    """Throttling and server faults are worth retrying; anything else is a bug or bad config."""
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if _code(error) in TRANSIENT or status >= 500:
        return TransientError(f"EventBridge Scheduler {_code(error)}")
    return error
