"""The CLI's commands: each adds its parser and runs one use case."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tandem_cli.errors import FAILED, OK, USAGE, CliError
from tandem_cli.transport import HttpTransport, Transport

LOCAL_MOTO = "http://127.0.0.1:5000"


def add_all(sub: Any, epilog: str) -> None:
    """Register every command under `sub`."""
    for add in (
        add_chat,
        add_escalations,
        add_reply,
        add_transitions,
        add_dlq,
        add_export,
        add_check,
    ):
        add(sub, epilog)


def _command(
    sub: Any, name: str, help_text: str, epilog: str, handler: Any
) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=help_text, epilog=epilog
    )
    command.set_defaults(handler=handler)
    return command


def _settings() -> Any:
    from tandem_cli.main import settings_or_exit

    return settings_or_exit()


def _local(name: str) -> str:
    from dev.stack import LOCAL_DEFAULTS

    return LOCAL_DEFAULTS[name]


def _key(args: argparse.Namespace) -> str:
    keys = _settings().helpdesk_api_keys
    return str(args.key or (keys[0] if keys else _local("HELPDESK_API_KEYS")))


def _transport(args: argparse.Namespace) -> Transport:
    return HttpTransport((args.api or _settings().public_base_url).rstrip("/"))


def _sqs(args: argparse.Namespace) -> Any:
    """An SQS client on the chosen endpoint (moto's test credentials when it is local)."""
    import boto3

    settings = _settings()
    endpoint = args.aws_endpoint or settings.aws_endpoint_url or LOCAL_MOTO
    if endpoint == "aws":
        return boto3.client("sqs", region_name=settings.aws_region)
    local = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client("sqs", region_name=settings.aws_region, endpoint_url=endpoint, **local)


# --- chat ---


def add_chat(sub: Any, epilog: str) -> None:
    from tandem_cli.chat import CHANNELS

    command = _command(
        sub, "chat", "talk to the agent as a customer (type /quit to stop)", epilog, run_chat
    )
    command.add_argument("--channel", choices=CHANNELS, default="webchat")
    command.add_argument(
        "--customer",
        default="",
        help="webchat: the store's customer id (signed in, e.g. cust-ava; empty: a guest); sms/whatsapp: the customer's phone (e.g. +14155550123)",
    )
    command.add_argument(
        "-m",
        "--message",
        action="append",
        help="say this and exit (repeatable); without it, read lines from stdin",
    )
    command.add_argument(
        "--in-process",
        action="store_true",
        help="no running stack: moto, the Twilio fake and the pipeline in this process, demo data seeded",
    )
    command.add_argument(
        "--wait", type=float, default=30, help="seconds to wait for each answer (default 30)"
    )


def run_chat(args: argparse.Namespace) -> int:
    """`tandem chat`."""
    from tandem_cli.main import note

    if args.channel != "webchat" and not args.customer.startswith("+"):
        raise CliError(
            "--customer must be a phone number in E.164 form (+14155550123) on sms and whatsapp",
            USAGE,
        )
    if args.in_process:
        from tandem_cli.in_process import in_process_pipeline

        with in_process_pipeline(note) as transport:
            return _chat(args, transport)
    return _chat(args, _transport(args))


def _chat(args: argparse.Namespace, transport: Transport) -> int:
    from tandem_cli.chat import ChatOptions, Conversation, run_chat
    from tandem_cli.main import say, tick

    settings = _settings()
    options = ChatOptions(
        channel=args.channel,
        customer=args.customer,
        helpdesk_key=_key(args),
        identity_secret=settings.chat_identity_secret or _local("CHAT_IDENTITY_SECRET"),
        twilio_auth_token=settings.twilio_auth_token or _local("TWILIO_AUTH_TOKEN"),
        sms_from=settings.twilio_sms_from or _local("TWILIO_SMS_FROM"),
        whatsapp_from=settings.twilio_whatsapp_from or _local("TWILIO_WHATSAPP_FROM"),
        wait_seconds=args.wait,
    )
    conversation = Conversation(transport, options)
    lines = args.message or _prompted_lines()

    def show(text: str) -> None:
        sys.stderr.write("\r")
        say(text)

    return run_chat(conversation, lines, show, tick)


def _prompted_lines() -> Any:
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            sys.stderr.write("you> ")
            sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            return
        yield line


# --- escalations, reply, release, resolve, export ---


def add_escalations(sub: Any, epilog: str) -> None:
    group = sub.add_parser(
        "escalations",
        help="list escalated conversations, or pull the helpdesk queue",
        description="Escalations: `list` reads the review API (nothing moves); `pull` consumes the helpdesk queue.",
        epilog=epilog,
    )
    inner = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = _command(
        inner,
        "list",
        "escalated conversations, newest first (GET /review/conversations?flag=escalated)",
        epilog,
        run_list,
    )
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    pull = _command(
        inner,
        "pull",
        "receive the helpdesk queue's events (escalation.created, ...) and delete each once shown",
        epilog,
        run_pull,
    )
    pull.add_argument(
        "--wait", type=int, default=2, help="long-poll seconds per receive (default 2)"
    )
    pull.add_argument(
        "--keep",
        action="store_true",
        help="do not delete: the events come back after the visibility timeout",
    )
    pull.add_argument("--json", action="store_true", help="print each event as a JSON line")
    pull.add_argument(
        "--queue-url",
        help="the helpdesk queue (default: HELPDESK_QUEUE_URL, else tandem-helpdesk.fifo)",
    )


def run_list(args: argparse.Namespace) -> int:
    from tandem_cli.helpdesk import escalation_line, list_escalations
    from tandem_cli.main import say

    found = list_escalations(_transport(args), _key(args), args.limit)
    for item in found:
        say(json.dumps(item) if args.json else escalation_line(item))
    return OK


def run_pull(args: argparse.Namespace) -> int:
    from tandem_cli.helpdesk import event_line, pull_events
    from tandem_cli.main import note, say, tick

    sqs = _sqs(args)
    url = (
        args.queue_url
        or _settings().helpdesk_queue_url
        or sqs.get_queue_url(QueueName="tandem-helpdesk.fifo")["QueueUrl"]
    )
    count = 0
    for event in pull_events(sqs, url, args.wait, args.keep, tick):
        sys.stderr.write("\r")
        say(json.dumps(event) if args.json else event_line(event))
        count += 1
    note(f"\r{count} event(s) {'seen' if args.keep else 'pulled'}")
    return OK


def add_reply(sub: Any, epilog: str) -> None:
    command = _command(
        sub,
        "reply",
        "answer the customer as a person (takes the conversation over)",
        epilog,
        run_reply,
    )
    command.add_argument("conversation_id")
    command.add_argument("text")
    command.add_argument(
        "--agent", default="Support", help="the agent's name the customer sees (default Support)"
    )


def run_reply(args: argparse.Namespace) -> int:
    from tandem_cli.helpdesk import reply
    from tandem_cli.main import say

    answered = reply(_transport(args), _key(args), args.conversation_id, args.text, args.agent)
    say(f"{answered['status']}  {answered['message_id']}  (conversation is {answered['state']})")
    return FAILED if answered["status"] in ("failed", "skipped_opted_out") else OK


def add_transitions(sub: Any, epilog: str) -> None:
    for action, text in (
        ("release", "hand the conversation back to the AI"),
        ("resolve", "mark the conversation resolved"),
    ):
        command = _command(sub, action, text, epilog, run_transition)
        command.add_argument("conversation_id")
        command.add_argument("--agent", help="the agent's name (recorded)")
        command.set_defaults(action=action)


def run_transition(args: argparse.Namespace) -> int:
    from tandem_cli.helpdesk import transition
    from tandem_cli.main import say

    body = {"agent": {"id": args.agent.lower(), "name": args.agent}} if args.agent else {}
    done = transition(_transport(args), _key(args), args.conversation_id, args.action, body)
    say(f"{args.conversation_id}: {done.get('state', args.action)}")
    return OK


def add_export(sub: Any, epilog: str) -> None:
    command = _command(
        sub,
        "export",
        "a reviewed conversation as a simulation scenario (YAML); needs feedback with a correct_answer",
        epilog,
        run_export,
    )
    command.add_argument("conversation_id")
    command.add_argument("-o", "--output", type=Path, help="write here (default: stdout)")
    command.add_argument(
        "--message-id",
        help="the reviewed reply (default: the latest feedback with a correct_answer)",
    )


def run_export(args: argparse.Namespace) -> int:
    from tandem_cli.helpdesk import export_scenario
    from tandem_cli.main import note, say

    scenario = export_scenario(_transport(args), _key(args), args.conversation_id, args.message_id)
    if args.output:
        args.output.write_text(scenario, encoding="utf-8")
        note(f"wrote {args.output}")
    else:
        say(scenario.rstrip())
    return OK


# --- dead letters ---


def add_dlq(sub: Any, epilog: str) -> None:
    from tandem_cli.dlq import QUEUES

    group = sub.add_parser(
        "dlq",
        help="see and re-drive the dead-letter queues",
        description="Dead-letter queues: `list` counts, `redrive` moves them back once the fault is fixed.",
        epilog=epilog,
    )
    inner = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    _command(
        inner, "list", "how many messages wait in each dead-letter queue", epilog, run_dlq_list
    )
    redrive = _command(
        inner, "redrive", "move dead letters back to their queue", epilog, run_redrive
    )
    redrive.add_argument(
        "queues", nargs="*", metavar="QUEUE", help=f"which: {', '.join(QUEUES)} (default: all)"
    )
    redrive.add_argument(
        "--limit", type=int, default=0, help="move at most this many per queue (default: all)"
    )


def _letters(args: argparse.Namespace, names: list[str]) -> list[Any]:
    from tandem_cli.dlq import QUEUES, dead_letters

    unknown = sorted(set(names) - set(QUEUES))
    if unknown:
        raise CliError(f"no queue named {', '.join(unknown)}; use {', '.join(QUEUES)}", USAGE)
    settings, sqs = _settings(), _sqs(args)
    configured = {
        "inbound": settings.inbound_queue_url,
        "helpdesk": settings.helpdesk_queue_url,
        "email": settings.inbound_email_queue_url,
    }
    try:
        return [dead_letters(sqs, name, configured[name] or None) for name in names or list(QUEUES)]
    except sqs.exceptions.QueueDoesNotExist as error:
        raise CliError(f"a queue does not exist on this endpoint: {error}") from None


def run_dlq_list(args: argparse.Namespace) -> int:
    from tandem_cli.main import say

    sqs = _sqs(args)
    for letters in _letters(args, []):
        say(f"{letters.name:<9} {letters.waiting(sqs):>5}  {letters.dlq_url}")
    return OK


def _moved(count: int) -> None:
    sys.stderr.write(f"\r  {count} moved")
    sys.stderr.flush()


def run_redrive(args: argparse.Namespace) -> int:
    from tandem_cli.dlq import redrive
    from tandem_cli.main import note, say

    sqs = _sqs(args)
    for letters in _letters(args, args.queues):
        note(f"{letters.name}: moving dead letters back to {letters.queue_url}")
        moved = redrive(sqs, letters, _moved, args.limit)
        sys.stderr.write("\r")
        say(f"{letters.name}: {moved} message(s) re-driven")
    return OK


# --- checks ---


def add_check(sub: Any, epilog: str) -> None:
    group = sub.add_parser(
        "check",
        help="check a store config file or this environment's settings",
        description="Checks: exit 0 when good, 1 with one line per problem.",
        epilog=epilog,
    )
    inner = group.add_subparsers(dest="what", required=True, metavar="WHAT")
    config = _command(
        inner, "config", "check a store config file (STORE_CONFIG's YAML)", epilog, run_check_config
    )
    config.add_argument("path", type=Path)
    _command(
        inner,
        "settings",
        "check this environment's settings as a Lambda would at start",
        epilog,
        run_check_settings,
    )


def run_check_config(args: argparse.Namespace) -> int:
    from chalicelib.config.store_config import StoreConfigError, load_store_config
    from tandem_cli.main import say

    if not args.path.is_file():
        raise CliError(f"{args.path}: no such file", USAGE)
    try:
        config = load_store_config(str(args.path))
    except StoreConfigError as error:
        raise CliError(f"{args.path}: {error}") from None
    say(f"{args.path}: good ({config.name})")
    return OK


def run_check_settings(args: argparse.Namespace) -> int:
    from chalicelib.config.settings_check import SettingsError, agent_summary, checked_settings
    from tandem_cli.main import say

    try:
        settings = checked_settings()
    except SettingsError as error:
        raise CliError(str(error), FAILED) from None
    say(f"settings are good; agent: {agent_summary(settings)}")
    return OK
