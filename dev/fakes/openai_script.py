"""Scripted replies of the fake OpenAI server, and the Chat Completions JSON it answers with."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TEXT = "This is the fake model's default answer."


@dataclass
class ToolCall:
    """A function call the model asks for; a `str` of arguments is sent as is (even if not JSON)."""

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)


@dataclass
class Scripted:
    """One scripted response: text and/or tool calls, an HTTP error or a raw body, after a delay."""

    text: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    refusal: str | None = None
    finish_reason: str | None = None
    status: int = 200
    error_message: str = "scripted failure"
    retry_after_ms: int | None = None
    delay: float = 0.0
    raw: str | None = None


def text(content: str, delay: float = 0.0) -> Scripted:
    """An assistant message with `content`."""
    return Scripted(text=content, delay=delay)


def tool_call(name: str, arguments: dict[str, Any] | str | None = None, **kwargs: Any) -> Scripted:
    """An assistant message calling one tool (arguments as a dict, keywords, or a raw string)."""
    return Scripted(tool_calls=[ToolCall(name, kwargs if arguments is None else arguments)])


def tool_calls(*calls: ToolCall) -> Scripted:
    """An assistant message calling several tools at once."""
    return Scripted(tool_calls=list(calls))


def error(
    status: int, message: str = "scripted failure", retry_after_ms: int | None = 1
) -> Scripted:
    """An HTTP error in OpenAI's error shape (`retry-after-ms` keeps client retries fast)."""
    return Scripted(status=status, error_message=message, retry_after_ms=retry_after_ms)


def garbage(body: str, status: int = 200) -> Scripted:
    """`body` sent as is, labelled JSON: not JSON at all, or JSON that is no completion."""
    return Scripted(status=status, raw=body)


def delay(seconds: float, then: Scripted | None = None) -> Scripted:
    """`then` (default: a text answer) after `seconds`, to make a client time out."""
    reply = then or text(DEFAULT_TEXT)
    reply.delay = seconds
    return reply


def completion(body: dict[str, Any], reply: Scripted) -> dict[str, Any]:
    """The `chat.completion` object for a scripted reply."""
    calls = [
        {
            "id": "call_" + secrets.token_hex(8),
            "type": "function",
            "function": {"name": call.name, "arguments": _arguments(call.arguments)},
        }
        for call in reply.tool_calls
    ]
    message = {"role": "assistant", "content": reply.text, "refusal": reply.refusal}
    finish = reply.finish_reason or ("tool_calls" if calls else "stop")
    return {
        "id": "chatcmpl-" + secrets.token_hex(12),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
        "choices": [
            {
                "index": 0,
                "message": message | ({"tool_calls": calls} if calls else {}),
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _arguments(arguments: dict[str, Any] | str) -> str:
    """Tool arguments as the JSON string OpenAI sends; a string is passed through untouched."""
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def error_body(reply: Scripted) -> dict[str, Any]:
    """OpenAI's error JSON."""
    kind = "server_error" if reply.status >= 500 else "invalid_request_error"
    return {"error": {"message": reply.error_message, "type": kind, "param": None, "code": None}}
