"""The settings as a pydantic model, built from `settings.FIELDS`: what judges a value the plain
reading in `settings.py` does not take as is (refused with pydantic's errors, or converted), and
what the settings reference (`python -m dev.docs`) describes."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, create_model, field_validator

from chalicelib.config.settings import FIELDS, Setting, _split

ANNOTATIONS: dict[str, Any] = {
    "str": str,
    "str?": str | None,
    "int": int,
    "float": float,
    "list": list[str],
}


def _field(setting: Setting) -> Any:
    """The pydantic field of a setting: default (an empty list for a comma list), alias, range."""
    bounds: dict[str, Any] = dict(setting.bounds)
    if setting.kind == "list":
        return Field(default_factory=list, alias=setting.alias, **bounds)
    return Field(setting.default, alias=setting.alias, **bounds)


def _validators() -> dict[str, Any]:
    """Comma lists split before their type is checked; each value's own check after."""
    lists = [name for name, s in FIELDS.items() if s.kind == "list"]
    found: dict[str, Any] = {
        "_comma_list": field_validator(*lists, mode="before")(lambda cls, value: _split(value))
    }
    for name, setting in FIELDS.items():
        if setting.check is not None:
            found[f"_check_{name}"] = field_validator(name)(_checked_by(setting.check))
    return found


def _checked_by(check: Any) -> Any:
    def checked(cls: Any, value: Any) -> Any:
        return check(value)

    return checked


SettingsModel = create_model(  # type: ignore[call-overload]
    "Settings",
    __config__=ConfigDict(extra="ignore", validate_default=True, populate_by_name=True),
    __validators__=_validators(),
    **{name: (ANNOTATIONS[s.kind], _field(s)) for name, s in FIELDS.items()},
)


def validated(found: dict[str, Any]) -> dict[str, Any]:
    """The fields' values as pydantic validates `found` (by field name); ValidationError if refused."""
    model = SettingsModel.model_validate(found)
    return {name: getattr(model, name) for name in FIELDS}
