"""Fields of a request that Tandem does not know: reported back (`ignored_fields`), or refused in
strict mode, rather than silently dropped (a `frist_name` typo would otherwise go unnoticed)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from chalicelib.domain.errors import BadRequestError


def ignored_fields(model: BaseModel, raw: Any, where: str = "") -> list[str]:
    """Paths of the keys in `raw` that the validated `model` did not take (nested models too)."""
    if not isinstance(raw, dict):
        return []
    known = {field.alias or name: name for name, field in type(model).model_fields.items()}
    found: list[str] = []
    for key, value in raw.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in known:
            found.append(path)
            continue
        found += _nested(getattr(model, known[key]), value, path)
    return found


def _nested(parsed: Any, raw: Any, path: str) -> list[str]:
    """The ignored fields inside one field's value: a model, or a list of models."""
    if isinstance(parsed, BaseModel):
        return ignored_fields(parsed, raw, path)
    if isinstance(parsed, list | tuple) and isinstance(raw, list):
        found: list[str] = []
        for index, (item, given) in enumerate(zip(parsed, raw, strict=False)):
            found += _nested(item, given, f"{path}[{index}]")
        return found
    return []


def refuse_in_strict_mode(ignored: list[str], strict: bool) -> None:
    """400 naming the first unknown field when the caller asked for strict mode."""
    if strict and ignored:
        more = f" (and {len(ignored) - 1} more)" if len(ignored) > 1 else ""
        raise BadRequestError(
            f"{ignored[0]}: not a field Tandem knows{more}; fix the name or drop ?strict=true",
            field=ignored[0],
        )


def strict_param(query: dict[str, str] | None) -> bool:
    """`?strict=true` (or 1): refuse unknown fields instead of reporting them."""
    value = (query or {}).get("strict", "").lower()
    if value not in ("", "true", "false", "1", "0"):
        raise BadRequestError("strict must be true or false", field="strict")
    return value in ("true", "1")
