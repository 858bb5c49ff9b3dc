"""Contact identities in one canonical form, so the same person is found by the same key."""

from __future__ import annotations


def normalize_email(raw: str) -> str:
    """An email address trimmed and lowercased; ValueError when it is not one."""
    email = raw.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain or " " in email:
        raise ValueError(f"not an email address: {raw!r}")
    return email


def normalize_phone(raw: str, region: str | None = None) -> str:
    """A phone number in E.164 (`region` reads national numbers); ValueError if invalid."""
    import phonenumbers  # on first use: a worker cold start loads this module without parsing

    try:
        number = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number: {raw!r} ({error})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
