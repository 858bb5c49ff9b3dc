"""Composition root: builds settings, AWS clients and services once per cold start.

Each package's services are built by its provider (`chalicelib.providers`); `Services` is all of
them at once, built lazily so each handler pays only for what it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.config.settings import Settings, get_settings
from chalicelib.providers.agent import AgentProvider
from chalicelib.providers.channels import ChannelsProvider
from chalicelib.providers.commerce import CommerceProvider
from chalicelib.providers.core import Overrides
from chalicelib.providers.email import EmailProvider
from chalicelib.providers.followups import FollowUpsProvider
from chalicelib.providers.handoff import HandoffProvider
from chalicelib.providers.outbox import OutboxProvider
from chalicelib.providers.review import ReviewProvider
from chalicelib.providers.store import StoreProvider
from chalicelib.providers.turns import TurnsProvider
from chalicelib.providers.twilio import TwilioProvider
from chalicelib.providers.webchat import WebchatProvider


@dataclass
class Services(
    StoreProvider,
    ChannelsProvider,
    CommerceProvider,
    WebchatProvider,
    TwilioProvider,
    EmailProvider,
    OutboxProvider,
    AgentProvider,
    TurnsProvider,
    HandoffProvider,
    FollowUpsProvider,
    ReviewProvider,
):
    """The parts of Tandem, built lazily so each handler pays only for what it uses."""

    settings: Settings
    overrides: Overrides = field(default_factory=Overrides)


_services: Services | None = None


def services() -> Services:
    """The services of this process, built on first use."""
    global _services
    if _services is None:
        settings = get_settings()
        from chalicelib.runtime.observability import logger

        logger.setLevel(settings.log_level.upper())
        built = Services(settings)
        if settings.store_config:
            load_configured_store(built)
        _services = built
    return _services


def load_configured_store(built: Services) -> None:
    """Read STORE_CONFIG at cold start: a bad file fails here, naming its key, not mid-turn."""
    from chalicelib.config.store_config import StoreConfigError
    from chalicelib.runtime.observability import logger

    try:
        built.store_config  # noqa: B018  (cached_property: loads and validates once)
    except StoreConfigError as error:
        logger.error("store config invalid", extra={"error": error.message})
        raise
    from chalicelib.config.warnings import config_warnings

    for warning in config_warnings(built.store_config, built.settings.backend):
        logger.warning("store config has no effect here", extra={"warning": warning})


def reset(built: Services | None = None) -> None:
    """Replace the process's services (tests build them with other parts)."""
    global _services
    _services = built
