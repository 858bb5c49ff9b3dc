"""Composition root: builds settings, AWS clients and services once per cold start.

Each package's services are built by its provider (`chalicelib.providers`); `Services` is all of
them at once, built lazily so each handler pays only for what it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.config.secrets import prefetch

# First thing at cold start: the SSM parameters are read in the background while the rest of the
# app imports (tens of ms), not after it.
prefetch()

from chalicelib.config.settings import Settings, get_settings  # noqa: E402
from chalicelib.providers.agent import AgentProvider  # noqa: E402
from chalicelib.providers.channels import ChannelsProvider  # noqa: E402
from chalicelib.providers.commerce import CommerceProvider  # noqa: E402
from chalicelib.providers.core import Overrides  # noqa: E402
from chalicelib.providers.email import EmailProvider  # noqa: E402
from chalicelib.providers.followups import FollowUpsProvider  # noqa: E402
from chalicelib.providers.handoff import HandoffProvider  # noqa: E402
from chalicelib.providers.outbox import OutboxProvider  # noqa: E402
from chalicelib.providers.review import ReviewProvider  # noqa: E402
from chalicelib.providers.store import StoreProvider  # noqa: E402
from chalicelib.providers.turns import TurnsProvider  # noqa: E402
from chalicelib.providers.twilio import TwilioProvider  # noqa: E402
from chalicelib.providers.webchat import WebchatProvider  # noqa: E402


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
