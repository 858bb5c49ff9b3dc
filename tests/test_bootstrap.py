"""The composition root at cold start: STORE_CONFIG is read then, and a bad file stops it there."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from chalicelib import bootstrap
from chalicelib.config.settings import get_settings
from chalicelib.config.store_config import DEMO_CONFIG_PATH, StoreConfigError


@pytest.fixture
def cold_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A fresh process's settings and services, with STORE_CONFIG pointing at a file to write."""
    path = tmp_path / "store.yaml"
    monkeypatch.setenv("STORE_CONFIG", str(path))
    get_settings.cache_clear()
    bootstrap.reset(None)
    yield path
    bootstrap.reset(None)
    get_settings.cache_clear()


def write_demo(path: Path, **changes: object) -> None:
    document = yaml.safe_load(DEMO_CONFIG_PATH.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**document, **changes}), encoding="utf-8")


def test_store_config_is_loaded_at_cold_start(cold_start: Path) -> None:
    write_demo(cold_start, name="Harbor Goods")
    built = bootstrap.services()
    assert "store_config" in vars(built)  # read when the services were built, not on first use
    assert built.store_config.name == "Harbor Goods"


def test_a_bad_store_config_fails_at_cold_start_naming_the_key(cold_start: Path) -> None:
    hours = {"time_zone": "Mars/Olympus", "days": ["mon"], "opens": "09:00", "closes": "18:00"}
    write_demo(cold_start, business_hours=hours)
    with pytest.raises(StoreConfigError) as raised:
        bootstrap.services()
    assert str(cold_start) in raised.value.message
    assert "business_hours.time_zone" in raised.value.message
    with pytest.raises(StoreConfigError):  # still failing: nothing half-built was kept
        bootstrap.services()


class Records(logging.Handler):
    """Keeps the log records the app emits."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record)


@pytest.mark.parametrize(("backend", "warned"), [("rules", True), ("openai", False)])
def test_a_tone_the_backend_ignores_is_warned_about_at_cold_start(
    cold_start: Path, monkeypatch: pytest.MonkeyPatch, backend: str, warned: bool
) -> None:
    from chalicelib.runtime.observability import logger

    monkeypatch.setenv("AGENT_BACKEND", backend)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")  # the openai backend refuses to start without
    get_settings.cache_clear()
    write_demo(cold_start, name="Harbor Goods")
    records = Records()
    logging.getLogger(logger.name).addHandler(records)
    try:
        bootstrap.services()
    finally:
        logging.getLogger(logger.name).removeHandler(records)
    warnings = [
        str(getattr(r, "warning", "")) for r in records.seen if r.levelno == logging.WARNING
    ]
    assert any("brand_voice.tone" in w and "rules" in w for w in warnings) is warned, warnings
