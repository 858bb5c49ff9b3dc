"""Reading a synthesized CloudFormation template in tests."""

from __future__ import annotations

from typing import Any


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The properties of every resource of one type, by logical id."""
    resources = template["Resources"].items()
    return {rid: r.get("Properties", {}) for rid, r in resources if r["Type"] == kind}


def queue_named(template: dict[str, Any], name: str) -> tuple[str, dict[str, Any]]:
    """The logical id and properties of the queue with this name."""
    queues = of_type(template, "AWS::SQS::Queue").items()
    return next((rid, props) for rid, props in queues if props.get("QueueName") == name)


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Chalice's functions (SAM, before the transform), by logical id."""
    return of_type(template, "AWS::Serverless::Function")


def statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of every identity policy: AWS::IAM::Policy and roles' inline policies."""
    docs = [p["PolicyDocument"] for p in of_type(template, "AWS::IAM::Policy").values()]
    for role in of_type(template, "AWS::IAM::Role").values():
        docs += [p["PolicyDocument"] for p in role.get("Policies", [])]
    return [s for doc in docs for s in doc["Statement"]]


def as_list(value: Any) -> list[Any]:
    """A policy field that may be one value or a list, as a list."""
    return value if isinstance(value, list) else [value]
