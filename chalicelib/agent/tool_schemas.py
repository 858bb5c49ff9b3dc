"""JSON schemas of the tools, generated from their typed signatures, and calling them by name."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from functools import cache
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from chalicelib.agent.tools import TOOL_NAMES, ToolBox
from chalicelib.domain.errors import TransientError
from chalicelib.runtime.observability import logger


class ToolCallError(Exception):
    """The model asked for a tool that does not exist, or sent arguments that are not JSON."""


def _arguments_model(name: str, method: Callable[..., Any]) -> type[BaseModel]:
    """A pydantic model of a tool's parameters (unknown arguments are refused)."""
    hints = get_type_hints(method)
    fields: dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.name != "self":
            default = ... if parameter.default is inspect.Parameter.empty else parameter.default
            fields[parameter.name] = (hints[parameter.name], default)
    config = ConfigDict(extra="forbid")
    return create_model(f"{name}_arguments", __config__=config, **fields)


@cache
def argument_models() -> dict[str, type[BaseModel]]:
    """Each tool's argument model, by tool name."""
    return {name: _arguments_model(name, getattr(ToolBox, name)) for name in TOOL_NAMES}


def _without_titles(schema: Any) -> Any:
    """A JSON schema without pydantic's `title` keys (fewer prompt tokens, same meaning)."""
    if isinstance(schema, dict):
        return {k: _without_titles(v) for k, v in schema.items() if k != "title"}
    if isinstance(schema, list):
        return [_without_titles(item) for item in schema]
    return schema


@cache
def tool_schemas() -> tuple[dict[str, Any], ...]:
    """The tools as Chat Completions `tools` entries: the docstring is the description."""
    return tuple(
        {
            "type": "function",
            "function": {
                "name": name,
                "description": inspect.getdoc(getattr(ToolBox, name)) or name,
                "parameters": _without_titles(model.model_json_schema()),
            },
        }
        for name, model in argument_models().items()
    )


def schemas_for(names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The `tools` entries of the named tools only (a turn's subset), in the contract's order."""
    wanted = set(names)
    return [schema for schema in tool_schemas() if schema["function"]["name"] in wanted]


def _brief(error: ValidationError) -> str:
    """A validation error in one line the model can act on."""
    return "; ".join(
        f"{'.'.join(str(p) for p in item['loc']) or 'arguments'}: {item['msg']}"
        for item in error.errors()
    )


def parse_arguments(name: str, raw: str | None) -> dict[str, Any]:
    """A tool call's arguments as a dict; ToolCallError for an unknown tool or non-JSON."""
    if name not in TOOL_NAMES:
        raise ToolCallError(f"unknown tool {name[:60]!r}")
    try:
        arguments = json.loads(raw or "{}")
    except ValueError:
        raise ToolCallError(f"arguments of {name} are not JSON") from None
    if not isinstance(arguments, dict):
        raise ToolCallError(f"arguments of {name} are not a JSON object")
    return arguments


def invoke(toolbox: ToolBox, name: str, raw: str | None) -> str:
    """Run one tool call; the result, or the tool's error, as JSON text for the model."""
    arguments = parse_arguments(name, raw)
    try:
        parsed = argument_models()[name].model_validate(arguments)
    except ValidationError as error:
        result = {"error": "invalid_arguments", "message": _brief(error)}
        return json.dumps(toolbox.record(name, arguments, result))
    try:
        return json.dumps(getattr(toolbox, name)(**dict(parsed)), default=str)
    except TransientError:
        raise
    except Exception as error:  # a tool failing is told to the model, never raised at it
        logger.warning("tool failed", extra={"tool": name, "error": type(error).__name__})
        result = {"error": "tool_failed", "message": f"{name} failed; try something else."}
        return json.dumps(toolbox.record(name, arguments, result))
