"""A trained linear model to the runtime's compact file: int8 weights, pruned to a size limit."""

from __future__ import annotations

from array import array

import numpy as np

from chalicelib.agent.intent_model import IntentModel
from training.methods import Linear

HEADER_ALLOWANCE = 4096


def to_model(
    trained: Linear, labels: list[str], size_limit: int, meta: dict[str, object]
) -> IntentModel:
    """Quantize to int8 with one scale; keep the strongest features that fit in `size_limit`."""
    weights = trained.weights
    scale = float(np.abs(weights).max()) / 127 or 1.0
    quantized = np.clip(np.rint(weights / scale), -127, 127).astype(np.int8)
    strength = np.abs(quantized.astype(np.int32)).sum(axis=1)
    per_feature = 4 + len(labels)
    room = max((size_limit - HEADER_ALLOWANCE) // per_feature, 1)
    keep = np.flatnonzero(strength > 0)
    if len(keep) > room:
        keep = keep[np.argsort(-strength[keep], kind="stable")[:room]]
    keep = keep[np.argsort(trained.buckets[keep], kind="stable")]
    buckets = array("I", trained.buckets[keep].astype(np.uint32).tolist())
    flat = array("b", quantized[keep].reshape(-1).tolist())
    bias = [round(float(value), 6) for value in trained.bias]
    return IntentModel(labels, buckets, flat, bias, scale, {**meta, "features": len(keep)})
