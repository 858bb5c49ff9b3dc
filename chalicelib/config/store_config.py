"""The store's policy file (`STORE_CONFIG`, YAML): brand voice, hours, escalation, discounts, texts."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from chalicelib.config.store_sections import (
    TEMPLATES_CHECKED,
    BrandVoice,
    BusinessHours,
    DiscountCode,
    DiscountPolicy,
    EscalationRules,
    FollowUpRules,
    KnowledgeArticle,
    QuietHours,
    ReasonCode,
    Section,
    Text,
    Texts,
    Triggers,
    WhatsAppTemplates,
)
from chalicelib.domain.errors import TandemError
from chalicelib.domain.product_data import ProductUpserted

__all__ = [
    "DEMO_CONFIG_PATH",
    "DiscountCode",
    "EscalationRules",
    "KnowledgeArticle",
    "ReasonCode",
    "StoreConfig",
    "StoreConfigError",
    "Triggers",
    "deep_merge",
    "load_store_config",
    "parse_store_config",
    "with_overrides",
    "write_checked",
]

DEMO_CONFIG_PATH = Path(__file__).with_name("demo_store.yaml")


class StoreConfigError(TandemError):
    """The store's policy file is missing, not YAML, or breaks the schema (names file and key)."""

    code = "store_config_invalid"


class StoreConfig(Section):
    """The whole store policy file."""

    name: Text
    website: str | None = None
    support_email: str | None = None
    brand_voice: BrandVoice
    business_hours: BusinessHours
    quiet_hours: QuietHours
    escalation: EscalationRules = Field(default_factory=EscalationRules)
    discounts: DiscountPolicy = Field(default_factory=DiscountPolicy)
    whatsapp_templates: WhatsAppTemplates
    texts: Texts
    followups: FollowUpRules
    knowledge: list[KnowledgeArticle] = Field(default_factory=list)
    catalog: list[ProductUpserted] = Field(default_factory=list)


def _key_path(location: tuple[int | str, ...]) -> str:
    """`escalation.triggers.frustration`, `catalog[2].price` from pydantic's error location."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _config_error(source: str, error: ValidationError) -> StoreConfigError:
    """One error listing every bad key of the file, with why."""
    problems = [f"{_key_path(item['loc'])}: {item['msg']}" for item in error.errors()]
    return StoreConfigError(f"{source}: invalid store config: " + "; ".join(problems))


def parse_store_config(
    document: Any, source: str, *, templates_checked: bool = False
) -> StoreConfig:
    """Validate a parsed YAML document; errors name `source` and each bad key."""
    if not isinstance(document, dict):
        raise StoreConfigError(f"{source}: the store config must be a YAML mapping")
    context = {TEMPLATES_CHECKED: templates_checked}
    try:
        return StoreConfig.model_validate(document, context=context)
    except ValidationError as error:
        raise _config_error(source, error) from None


def load_store_config(path: str | None = None) -> StoreConfig:
    """The store config at `path` (YAML), or the bundled demo store's when None.

    A file the package's build checked (`write_checked`) is read from its snapshot when the file's
    bytes are still those checked: the config the build validated, unpickled (no YAML parser, no
    Jinja2, no validator built at cold start), else the snapshot's document validated again. Any
    other file is parsed and checked whole, as before.
    """
    file = Path(path) if path else DEMO_CONFIG_PATH
    try:
        data = file.read_bytes()
    except OSError as error:
        raise StoreConfigError(f"{file}: cannot read the store config: {error.strerror}") from None
    snapshot = _checked_snapshot(file, data)
    if snapshot is not None:
        config = _unpickled(snapshot.get("pickled"))
        if config is not None:
            return config
        return parse_store_config(snapshot.get("document"), str(file), templates_checked=True)
    return parse_store_config(_parsed_yaml(file, data), str(file))


def _parsed_yaml(file: Path, data: bytes) -> Any:
    """The YAML document in `data` (read from `file`), or StoreConfigError naming the file."""
    import yaml

    try:
        # libyaml's parser when PyYAML has it (the pure-Python one costs ~10 ms per cold start)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(data.decode("utf-8"), Loader=loader)  # noqa: S506
    except UnicodeDecodeError as error:
        raise StoreConfigError(f"{file}: not UTF-8 text: {error.reason}") from None
    except yaml.YAMLError as error:
        raise StoreConfigError(f"{file}: not valid YAML: {error}") from None


def checked_path(file: Path) -> Path:
    """Where the package's build puts `file`'s checked snapshot (`store.yaml.checked.json`)."""
    return file.with_name(file.name + ".checked.json")


def _checked_snapshot(file: Path, data: bytes) -> dict[str, Any] | None:
    """The snapshot when it was checked from exactly `data`; else None."""
    try:
        snapshot = json.loads(checked_path(file).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(snapshot, dict) or snapshot.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    return snapshot


def _unpickled(pickled: Any) -> StoreConfig | None:
    """The config the package's build validated, as it pickled it; None when there is none.

    Our own build wrote it into the package beside the file, from these very classes: reading it
    builds no validator (the sections are `defer_build`), where validating the document again
    built fourteen.
    """
    if not isinstance(pickled, str):
        return None
    try:
        config = pickle.loads(base64.b64decode(pickled))  # noqa: S301  (our package's own)
    except Exception:  # any unreadable pickle: the document is validated instead
        return None
    return config if isinstance(config, StoreConfig) else None


def write_checked(file: Path) -> bool:
    """At package time: check `file` whole (YAML, schema, Jinja2 templates) and write its
    snapshot beside it; False, and nothing written, when it is not a store config or its document
    does not survive JSON as it is (dates, say)."""
    data = file.read_bytes()
    try:
        document = _parsed_yaml(file, data)
        config = parse_store_config(document, str(file))
    except StoreConfigError:
        return False
    pickled = base64.b64encode(pickle.dumps(config)).decode("ascii")
    snapshot = {"sha256": hashlib.sha256(data).hexdigest(), "document": document}
    try:
        text = json.dumps({**snapshot, "pickled": pickled})
    except TypeError:  # a value JSON cannot hold (a YAML date): the file is parsed at cold start
        return False
    if json.loads(text)["document"] != document:
        return False
    checked_path(file).write_text(text, encoding="utf-8")
    return True


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`overrides` over `base`: mappings merge key by key, anything else (lists too) replaces."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def with_overrides(config: StoreConfig, overrides: dict[str, Any] | None) -> StoreConfig:
    """A copy of `config` with a scenario's `store:` overrides merged over it, validated again."""
    if not overrides:
        return config
    merged = deep_merge(config.model_dump(mode="json", exclude_unset=False), overrides)
    return parse_store_config(merged, "store overrides")
