"""Who a received mail is from: the From address by the RFC 5322 grammar, and whether SES proved it.

The address comes from the raw header, never from decoded text: only display names are decoded, so
an encoded word that reads like an address (or a line break) stays a name. The mail is verified only
when the From domain is the one SES authenticated, as DMARC defines it: DMARC passed, or there is no
DMARC policy (GRAY) and an SPF or DKIM pass is aligned with the From domain (same organizational
domain, DMARC's relaxed alignment). Anything uncertain (PROCESSING_FAILED, a missing verdict, an
ambiguous header) is unverified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry
from functools import cache
from typing import Any

from publicsuffixlist import PublicSuffixList

Verdict = Callable[[str], str]
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
ADDR_SPEC = re.compile(r"^[!#-'*+\-/-9=?A-Z^-~.]{1,64}@[a-z0-9.-]{1,253}$", re.IGNORECASE)
DKIM_DOMAIN = re.compile(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", re.IGNORECASE)
# Defects in a display name's encoding (a bad charset, base64 padding) do not touch the address.
HARMLESS_DEFECTS = frozenset(
    {"CharsetError", "UndecodableBytesDefect", "InvalidBase64PaddingDefect",
     "InvalidBase64CharactersDefect", "InvalidBase64LengthDefect"}
)  # fmt: skip


@dataclass(frozen=True)
class MailAuth:
    """What SES authenticated: its verdicts, the envelope sender (SPF) and the DKIM signers."""

    verdict: Verdict
    envelope_sender: str = ""
    dkim_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class SenderIdentity:
    """The mail's sender: an address (lowercase) and whether SES proved it is theirs."""

    address: str
    verified: bool


def from_address(raw_headers: Sequence[str]) -> str | None:
    """The one mailbox of the one From header, by the strict grammar; None when not exactly that."""
    if len(raw_headers) != 1:
        return None
    try:
        header: Any = _REGISTRY("from", unfolded(raw_headers[0]))  # an AddressHeader
    except Exception:  # CR/LF in a decoded name, and the parser's own crashes on hostile input
        return None
    defects = {type(defect).__name__ for defect in header.defects}
    addresses = header.addresses
    if defects - HARMLESS_DEFECTS or len(addresses) != 1 or len(header.groups) != 1:
        return None
    if header.groups[0].display_name is not None:  # a group, even of one: no single author
        return None
    return checked_address(addresses[0].username, addresses[0].domain)


def checked_address(local: str, domain: str) -> str | None:
    """local@domain lowercase, when both are plain (no quoting, no literal, a real hostname)."""
    address = f"{local}@{domain}".lower()
    if not ADDR_SPEC.match(address) or not HOSTNAME.match(domain.lower()):
        return None
    return address


def unfolded(raw: str) -> str:
    """A raw header value without its folding; bytes that are not ASCII read as UTF-8 (RFC 6532)."""
    text = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return re.sub(r"\r?\n(?=[ \t])", "", text)


def sender_identity(raw_from: Sequence[str], auth: MailAuth) -> SenderIdentity:
    """The From address and whether it is authenticated; the envelope sender when From is unclear."""
    address = from_address(raw_from)
    if address is None:
        return SenderIdentity(plain_address(auth.envelope_sender), verified=False)
    return SenderIdentity(address, verified=is_authenticated(address, auth))


def plain_address(address: str) -> str:
    """An envelope address as a checked lowercase address, or '' when it is not one."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    return checked_address(local, domain) or "" if local else ""


def is_authenticated(address: str, auth: MailAuth) -> bool:
    """DMARC passed, or no DMARC policy and an aligned SPF or DKIM pass."""
    dmarc = auth.verdict("dmarc")
    if dmarc not in ("PASS", "GRAY"):
        return False
    domain = address.rpartition("@")[2]
    spf = auth.verdict("spf") == "PASS" and aligned(domain, domain_of(auth.envelope_sender))
    signers = [aligned(domain, signer) for signer in auth.dkim_domains]
    if dmarc == "PASS":  # some aligned identifier passed; ours is one of them
        return spf or (auth.verdict("dkim") == "PASS" and any(signers))
    # No policy: SES does not say which signature passed, so every signature must be aligned.
    return spf or (auth.verdict("dkim") == "PASS" and bool(signers) and all(signers))


def aligned(from_domain: str, other: str) -> bool:
    """DMARC relaxed alignment: the same organizational domain (Public Suffix List)."""
    if not other or not HOSTNAME.match(other):
        return False
    mine = organizational_domain(from_domain)
    return mine is not None and mine == organizational_domain(other)


def organizational_domain(domain: str) -> str | None:
    """The registrable domain ('mail.example.co.uk' -> 'example.co.uk'); None for a suffix."""
    found = _public_suffixes().privatesuffix(domain.lower().rstrip("."))
    return str(found) if found else None


def domain_of(address: str) -> str:
    """The domain of an address ('' if none), lowercase."""
    return address.strip().strip("<>").rpartition("@")[2].lower()


def dkim_domains(raw_signatures: Sequence[str]) -> tuple[str, ...]:
    """The d= domain of each DKIM-Signature header, lowercase."""
    found = (DKIM_DOMAIN.search(unfolded(value)) for value in raw_signatures)
    return tuple(match.group(1).lower().rstrip(".") for match in found if match)


@cache
def _public_suffixes() -> PublicSuffixList:
    return PublicSuffixList()


_REGISTRY = HeaderRegistry()
