"""Real-shaped Twilio webhook forms from tests/events/twilio/, and Twilio's own signing."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator

EVENTS = Path(__file__).resolve().parents[2] / "events" / "twilio"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/api/webhooks/twilio"


def load_form(name: str) -> dict[str, str]:
    """The form fields of `tests/events/twilio/<name>.form`, as Twilio posted them."""
    body = (EVENTS / f"{name}.form").read_text().strip()
    return dict(parse_qsl(body, keep_blank_values=True))


def twilio_signature(form: dict[str, str], url: str = PUBLIC_URL, token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for `form` posted to `url`."""
    return str(RequestValidator(token).compute_signature(url, form))
