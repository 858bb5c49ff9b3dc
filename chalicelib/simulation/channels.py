"""A customer's message delivered on the scenario's channel as the provider delivers it."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode

from chalicelib.channels.email.msgid_headers import MAIL_POLICY
from chalicelib.simulation.model import Scenario
from chalicelib.simulation.world import World

STRANGER_PHONE = "+14155550999"
STRANGER_EMAIL = "someone@example.net"
FORM = "application/x-www-form-urlencoded; charset=UTF-8"


@dataclass
class Thread:
    """Where a scenario's conversation lives on its channel, filled in as turns are played."""

    scenario: Scenario
    conversation_id: str | None = None
    token: str = ""
    mail_ids: list[str] = field(default_factory=list)
    sent: int = 0

    def profile(self) -> dict[str, Any]:
        """The scenario customer's profile (empty for a stranger)."""
        return self.scenario.customer.profile if self.scenario.customer else {}


def _sid(thread: Thread) -> str:
    digest = hashlib.sha256(f"{thread.scenario.name}:{thread.sent}".encode()).hexdigest()
    return "SM" + digest[:32]


def send_webchat(world: World, thread: Thread, text: str) -> None:
    """Open the chat session (with an identity token when verified) and post the message."""
    if thread.conversation_id is None:
        body: dict[str, Any] = {"visitor_id": f"v-{_sid(thread)[2:14]}"}
        identity = _identity_claim(thread)
        if identity and thread.scenario.verified:
            body["identity_token"] = _identity_token(world, identity)
        opened = world.post_json("/chat/sessions", body).json_body
        thread.conversation_id, thread.token = opened["session_id"], opened["token"]
    auth = {"Authorization": f"Bearer {thread.token}"}
    path = f"/chat/sessions/{thread.conversation_id}/messages"
    answer = world.post_json(path, {"text": text}, auth)
    if answer.status_code != 202:
        raise RuntimeError(f"web chat refused the message: {answer.body!r}")
    world.drain()


def _identity_claim(thread: Thread) -> dict[str, str]:
    profile = thread.profile()
    if profile.get("customer_id"):
        return {"sub": str(profile["customer_id"])}
    return {"email": str(profile["email"])} if profile.get("email") else {}


def _identity_token(world: World, claims: dict[str, str]) -> str:
    import datetime as dt

    import jwt

    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    return jwt.encode({**claims, "exp": expires}, world.env["CHAT_IDENTITY_SECRET"], "HS256")


def twilio_address(thread: Thread) -> str:
    """The sender: the customer's phone when verified, a stranger's number otherwise."""
    phone = str(thread.profile().get("phone") or "")
    number = phone if thread.scenario.verified and phone else STRANGER_PHONE
    return f"whatsapp:{number}" if thread.scenario.channel == "whatsapp" else number


def send_twilio(world: World, thread: Thread, text: str) -> None:
    """POST a correctly signed inbound SMS or WhatsApp webhook, as Twilio does."""
    from twilio.request_validator import RequestValidator

    whatsapp = thread.scenario.channel == "whatsapp"
    to = world.env["TWILIO_WHATSAPP_FROM" if whatsapp else "TWILIO_SMS_FROM"]
    sid = _sid(thread)
    form = {"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "NumMedia": "0"}
    form.update(AccountSid=world.env["TWILIO_ACCOUNT_SID"], ApiVersion="2010-04-01")
    form.update(From=twilio_address(thread), To=to, Body=text, SmsStatus="received")
    url = world.env["PUBLIC_BASE_URL"] + "/webhooks/twilio"
    signature = RequestValidator(world.env["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    headers = {"Content-Type": FORM, "X-Twilio-Signature": signature}
    answer = world.client.http.post("/webhooks/twilio", headers=headers, body=urlencode(form))
    if answer.status_code != 200:
        raise RuntimeError(f"the Twilio webhook refused the message: {answer.status_code}")
    world.drain()
    if thread.conversation_id is None:
        thread.conversation_id = _twilio_conversation(world, thread)


def _twilio_conversation(world: World, thread: Thread) -> str | None:
    address = twilio_address(thread)
    customer_id = world.services.customers.resolve("phone", address.removeprefix("whatsapp:"))
    if customer_id is None:
        return None
    threads = world.services.customers.load(customer_id).threads
    return threads.get(f"{thread.scenario.channel}#{address}")


def email_sender(thread: Thread) -> str:
    """The From address: the customer's (a spoof when unverified) or a stranger's."""
    return str(thread.profile().get("email") or STRANGER_EMAIL)


def send_email(world: World, thread: Thread, text: str) -> None:
    """Publish SES's receipt notification of the customer's mail to the topic, then run the queues."""
    message_id = f"<{_sid(thread).lower()}@mail.example.com>"
    mail = EmailMessage(policy=MAIL_POLICY)  # msg-ids never encoded, as a real client writes them
    mail["From"], mail["To"] = email_sender(thread), world.env["EMAIL_FROM"]
    mail["Subject"], mail["Message-ID"] = "Question", message_id
    if thread.mail_ids:
        mail["In-Reply-To"], mail["References"] = thread.mail_ids[-1], " ".join(thread.mail_ids)
    mail.set_content(text)
    thread.mail_ids.append(message_id)
    notification = _ses_notification(world, mail, _sid(thread), thread.scenario.verified)
    world.services._aws("sns").publish(
        TopicArn=world.env["INBOUND_EMAIL_TOPIC_ARN"],
        Message=json.dumps(notification),
        Subject="Amazon SES Email Receipt Notification",
    )
    world.drain("INBOUND_EMAIL_QUEUE_URL", "inbound_email")
    world.drain()
    owner = world.services.mail_threads.owner(thread.mail_ids[0])
    thread.conversation_id = owner.conversation_id if owner else None


def _ses_notification(
    world: World, mail: EmailMessage, ses_id: str, passed: bool
) -> dict[str, Any]:
    from chalicelib.domain.vocabulary import iso, utcnow

    verdict = {"status": "PASS" if passed else "FAIL"}
    now = iso(utcnow())
    headers = [{"name": name, "value": str(value)} for name, value in mail.items()]
    common = {"from": [mail["From"]], "to": [mail["To"]], "subject": mail["Subject"]}
    common["messageId"] = mail["Message-ID"]
    recipients = [world.env["EMAIL_FROM"]]
    action = {"type": "SNS", "topicArn": world.env["INBOUND_EMAIL_TOPIC_ARN"], "encoding": "BASE64"}
    receipt = {"timestamp": now, "recipients": recipients, "action": action}
    for name in ("spf", "dkim", "dmarc"):
        receipt[f"{name}Verdict"] = verdict
    receipt.update(spamVerdict={"status": "PASS"}, virusVerdict={"status": "PASS"})
    source = {"timestamp": now, "source": mail["From"], "messageId": ses_id}
    source.update(destination=recipients, headers=headers, commonHeaders=common)
    content = base64.b64encode(mail.as_bytes()).decode("ascii")
    return {"notificationType": "Received", "mail": source, "receipt": receipt, "content": content}


SENDERS = {
    "webchat": send_webchat,
    "sms": send_twilio,
    "whatsapp": send_twilio,
    "email": send_email,
}


def send(world: World, thread: Thread, text: str) -> None:
    """Deliver one customer message on the scenario's channel and run the queues."""
    SENDERS[thread.scenario.channel](world, thread, text)
    thread.sent += 1
