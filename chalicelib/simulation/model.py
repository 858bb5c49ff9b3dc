"""The scenario format of DESIGN.md as pydantic models: unknown keys refused, errors name file and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chalicelib.agent.tools import ToolName
from chalicelib.config.store_sections import ReasonCode
from chalicelib.domain.errors import TandemError
from chalicelib.domain.event_data import CartUpdated, CustomerUpserted, OrderUpserted


class ScenarioError(TandemError):
    """A scenario file that cannot be run: names the file, the key path and why."""


class Strict(BaseModel):
    """Refuses keys the format does not know (a typo must not silently test nothing)."""

    model_config = ConfigDict(extra="forbid")


class Expect(Strict):
    """What a turn must do; every key optional."""

    escalated: bool | None = None
    reasons: list[ReasonCode] = Field(default_factory=list)
    reply_contains: list[str] = Field(default_factory=list)
    reply_excludes: list[str] = Field(default_factory=list)
    tools: list[ToolName] = Field(default_factory=list)
    discount_applied: bool | None = None
    followup_scheduled: bool | None = None


class HelpdeskStep(Strict):
    """A person at the helpdesk (extension): replies on the customer's channel and/or releases."""

    reply: str | None = None
    release: bool = False


class Turn(Strict):
    """A customer message (or, as an extension, a helpdesk step) and what must follow."""

    customer: str | None = None
    helpdesk: HelpdeskStep | None = None
    expect: Expect = Field(default_factory=Expect)

    @model_validator(mode="after")
    def _one_actor(self) -> Turn:
        if (self.customer is None) == (self.helpdesk is None):
            raise ValueError("give exactly one of customer, helpdesk")
        return self


class Customer(Strict):
    """A customer in the /events data shapes: profile, orders (without `customer`), cart."""

    profile: dict[str, Any]
    orders: list[dict[str, Any]] = Field(default_factory=list)
    cart: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _valid_shapes(self) -> Customer:
        _check(CustomerUpserted, self.profile, "profile")
        for index, order in enumerate(self.orders):
            _check(OrderUpserted, {**order, "customer": self.ref()}, f"orders[{index}]")
        if self.cart:
            _check(CartUpdated, {**self.cart, "customer": self.ref()}, "cart")
        return self

    def ref(self) -> dict[str, str]:
        """How events name this customer: the store's id, else email, else phone."""
        for key in ("customer_id", "email", "phone"):
            if self.profile.get(key):
                return {key: str(self.profile[key])}
        raise ValueError("profile needs one of customer_id, email, phone")


def _check(model: type[BaseModel], data: dict[str, Any], where: str) -> None:
    """Validate one /events data shape; the error says where inside the customer."""
    try:
        model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        inner = _key_path(tuple(first["loc"]))
        raise ValueError(f"{where}.{inner}: {first['msg']}") from None


class Scenario(Strict):
    """One scenario file."""

    name: str = Field(min_length=1)
    channel: Literal["sms", "whatsapp", "email", "webchat"]
    verified: bool = True
    store: dict[str, Any] = Field(default_factory=dict)
    catalog: list[dict[str, Any]] = Field(default_factory=list)
    knowledge: list[dict[str, Any]] = Field(default_factory=list)
    customer: Customer | None = None
    others: list[Customer] = Field(default_factory=list)
    turns: list[Turn] = Field(min_length=1)


def _key_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file, or raise a ScenarioError naming file and key."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"{path}: cannot read the scenario: {error}") from None
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = _key_path(tuple(p for p in first["loc"] if not str(p).startswith("function-")))
        raise ScenarioError(f"{path}: {where}: {first['msg']}") from None


def scenario_files(paths: list[str]) -> list[Path]:
    """The .yaml files named, folders searched recursively, in a stable order."""
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found += sorted(p for p in given.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
        elif given.exists():
            found.append(given)
        else:
            raise ScenarioError(f"{given}: no such file or folder")
    return found
