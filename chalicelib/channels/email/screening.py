"""Which received mails get no reply: spam, viruses, auto-replies, bounces and our own mail."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.channels.email.mime import MailContent, first_header

AUTO_PRECEDENCE = frozenset({"bulk", "auto_reply", "list", "junk"})
AUTO_REPLY_FLAGS = ("x-autoreply", "x-autorespond", "x-auto-response-suppress")
DAEMON_MAILBOXES = frozenset({"mailer-daemon", "postmaster"})
DELIVERY_REPORTS = frozenset({"message/delivery-status", "message/global-delivery-status"})


def drop_reason(
    verdict: Callable[[str], str], mail: MailContent, sender: str, own_address: str
) -> str | None:
    """Why this mail gets no reply, or None when it is a customer's message to answer."""
    checks = (
        verdict_reason(verdict),
        bounce_reason(mail, sender),
        auto_reply_reason(mail),
        "own_address" if own_address and sender == own_address else None,
    )
    return next((reason for reason in checks if reason), None)


def verdict_reason(verdict: Callable[[str], str]) -> str | None:
    """'spam' or 'virus' when SES's scan failed the mail."""
    for name in ("spam", "virus"):
        if verdict(name) == "FAIL":
            return name
    return None


def bounce_reason(mail: MailContent, sender: str) -> str | None:
    """'bounce' for delivery-status reports and mail from a mailer daemon or postmaster."""
    content_type = first_header(mail.headers, "content-type").lower()
    is_report = content_type.startswith("multipart/report") or bool(
        mail.content_types & DELIVERY_REPORTS
    )
    mailbox = sender.split("@", 1)[0]
    return "bounce" if is_report or mailbox in DAEMON_MAILBOXES else None


def auto_reply_reason(mail: MailContent) -> str | None:
    """'auto_reply:<header>' when a header marks the mail as automatic."""
    submitted = first_header(mail.headers, "auto-submitted").strip().lower()
    if submitted and submitted != "no":
        return "auto_reply:auto-submitted"
    for flag in AUTO_REPLY_FLAGS:
        if flag in mail.headers:
            return f"auto_reply:{flag}"
    precedence = first_header(mail.headers, "precedence").strip().lower()
    return "auto_reply:precedence" if precedence in AUTO_PRECEDENCE else None
