"""JSON from a client, bounded at parse time: depth, number size, surrogates, duplicate keys.

Whatever a client sends gets a 400 naming the problem, never a 500 later: a deeply nested document
(Python's recursion limit), an integer of more than 4,300 digits (Python's int limit), a number
DynamoDB cannot store (38 digits, magnitude 1e-130 to 1e126), an unpaired surrogate (no UTF-8 for
it: DynamoDB and every encoder refuse it) or a key given twice (two readers could see two values).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from chalicelib.domain.errors import BadRequestError

MAX_DEPTH = 24  # DynamoDB nests 32 levels; our items wrap a body a few levels deep
MAX_NUMBER_CHARS = 40  # DynamoDB numbers have 38 significant digits
MAX_MAGNITUDE = 1e125
MIN_MAGNITUDE = 1e-129
SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(raw: bytes | str, field: str = "body") -> Any:
    """The document in raw; BadRequestError (400) for anything a client should not send."""
    try:
        document = json.loads(
            raw,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except RecursionError:
        raise BadRequestError(f"the {field} is nested too deeply", field=field) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequestError(f"the {field} is not valid JSON: {error}", field=field) from None
    except _Refused as refused:
        raise BadRequestError(f"the {field} {refused}", field=field) from None
    _check_depth_and_text(document, field)
    return document


class _Refused(ValueError):
    """Raised by the parser's hooks; becomes the 400's message."""


def _integer(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _Refused(f"has a number of more than {MAX_NUMBER_CHARS} characters")
    return int(literal)


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _Refused(f"has a number of more than {MAX_NUMBER_CHARS} characters")
    value = float(literal)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE or 0 < abs(value) < MIN_MAGNITUDE:
        raise _Refused(f"has a number out of range: {literal}")
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"has {name}, which is not JSON")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Refused(f"has the key {json.dumps(key)[:60]} twice")
        found[key] = value
    return found


def _check_depth_and_text(document: Any, field: str) -> None:
    """400 when the document nests deeper than MAX_DEPTH or holds an unpaired surrogate."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if SURROGATE.search(value):
                raise BadRequestError(f"the {field} has an unpaired surrogate", field=field)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise BadRequestError(f"the {field} nests deeper than {MAX_DEPTH}", field=field)
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        pending.extend((item, depth + 1) for item in items)
