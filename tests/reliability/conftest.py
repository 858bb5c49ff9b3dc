"""Fixtures of the reliability tests: the Twilio pipeline, shared with the SMS tests."""

from __future__ import annotations

from tests.channels.twilio.conftest import twilio, twilio_api

__all__ = ["twilio", "twilio_api"]
