"""What a valid store config asks for that the running backend will not do: said at cold start."""

from __future__ import annotations

from chalicelib.config.store_config import StoreConfig

TONE_MODEL_ONLY = (
    "brand_voice.tone applies to the openai backend only: the rules backend answers in its own "
    "fixed wording (set AGENT_BACKEND=openai for replies in this tone)"
)


def config_warnings(config: StoreConfig, backend: str) -> list[str]:
    """The store's settings that change nothing on `backend`, each as a sentence saying why."""
    if backend == "rules" and config.brand_voice.tone.strip():
        return [TONE_MODEL_ONLY]
    return []
