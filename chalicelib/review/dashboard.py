"""`GET /review/dashboard`: AI vs human side by side, escalation reasons and misses, as one HTML page."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any
from urllib.parse import quote

from chalicelib.domain.vocabulary import iso
from chalicelib.review import charts
from chalicelib.review.desk import ReviewDesk
from chalicelib.review.metrics import daily_counts, metrics_report
from chalicelib.review.misses import misses_report
from chalicelib.review.params import window
from chalicelib.review.sample import unflagged_ai

STYLE = """
body{margin:0;background:#f8fafc;color:#0f172a;font:14px/1.45 system-ui,sans-serif}
header{padding:20px 32px;background:#0f172a;color:#f8fafc}
header h1{margin:0;font-size:20px} header p{margin:4px 0 0;color:#cbd5e1}
main{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:20px;padding:24px 32px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:16px 20px}
section.wide{grid-column:1/-1} h2{margin:0 0 12px;font-size:15px}
.legend span{display:inline-block;margin-right:16px;color:#475569}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}
.card{border-radius:8px;padding:10px 12px;background:#f1f5f9}
.card b{display:block;font-size:18px} .card small{color:#64748b}
"""


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 90:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.0f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def _score(average: float | None) -> str:
    return "—" if average is None else f"{average:.1f} / 5"


def _days(
    since: date, until: date, counts: dict[str, dict[str, Any]]
) -> list[tuple[str, int, int]]:
    days, day = [], since
    while day <= until:
        found = counts.get(day.isoformat(), {})
        days.append((day.isoformat(), int(found.get("ai", 0)), int(found.get("human", 0))))
        day += timedelta(days=1)
    return days


def _comparison(groups: dict[str, Any]) -> str:
    ai, human = groups["ai"], groups["human"]

    def pair(name: str, pick: Any, words: Any) -> tuple[str, float, float, str, str]:
        return (name, pick(ai) or 0, pick(human) or 0, words(ai), words(human))

    rows = [
        pair("Conversations", lambda g: g["count"], lambda g: str(g["count"])),
        pair(
            "First contact res.",
            lambda g: g["first_contact_resolution"]["rate"],
            lambda g: f"{g['first_contact_resolution']['rate']:.0%}",
        ),
        pair(
            "CSAT (1-5)",
            lambda g: g["csat"]["average"],
            lambda g: f"{_score(g['csat']['average']).removesuffix(' / 5')} ({g['csat']['count']})",
        ),
        pair(
            "Median 1st response",
            lambda g: g["time_to_first_response_seconds"]["median"],
            lambda g: _duration(g["time_to_first_response_seconds"]["median"]),
        ),
        pair(
            "Median resolution",
            lambda g: g["time_to_resolution_seconds"]["median"],
            lambda g: _duration(g["time_to_resolution_seconds"]["median"]),
        ),
    ]
    return charts.paired_bars(rows, "AI alone and with a human, side by side")


def _cards(report: dict[str, Any]) -> str:
    ai, human = report["groups"]["ai"], report["groups"]["human"]
    values = [
        ("Conversations", str(report["total"])),
        ("AI alone", f"{ai['share']:.0%}"),
        ("With a human", f"{human['share']:.0%}"),
        ("Escalation rate", f"{report['escalation_rate']:.0%}"),
        ("AI CSAT", _score(ai["csat"]["average"])),
        ("Human CSAT", _score(human["csat"]["average"])),
    ]
    cells = "".join(
        f"<div class='card'><small>{escape(k)}</small><b>{escape(v)}</b></div>" for k, v in values
    )
    return f"<div class='cards'>{cells}</div>"


def _legend() -> str:
    return (
        f"<p class='legend'><span><i style='background:{charts.AI_COLOR}'></i>AI alone</span>"
        f"<span><i style='background:{charts.HUMAN_COLOR}'></i>With a human</span></p>"
    )


def _spot_checks(desk: ReviewDesk, conversation_ids: list[str]) -> str:
    """The newest AI-handled conversations nobody flagged: to read now and then, not only misses."""
    if not conversation_ids:
        return "<p>No unflagged AI conversations in this period.</p>"
    # Relative links under /review: the browser's session cookie (Path=/review) goes with them,
    # and they keep the stage prefix behind API Gateway (/api/review/...).
    rows = "".join(
        f"<li><code>{escape(cid)}</code> "
        f"<a href='conversations/{quote(cid, safe='')}'>transcript</a></li>"
        for cid in conversation_ids
    )
    hint = "A random sample: <a href='sample?random=true'>GET /review/sample?random=true</a>."
    return f"<ul class='spot'>{rows}</ul><p>{hint}</p>"


def dashboard_page(desk: ReviewDesk, query: dict[str, str]) -> str:
    """The whole page for the window in `query` (default: the last 30 days)."""
    since, until = window(query)
    start, end = iso(since), iso(until)
    started = desk.started(start, end)
    report = metrics_report(started, start, end)
    misses = misses_report(desk.reviews.feedback_since(start, end), start)
    reasons: dict[str, int] = {}
    for group in report["groups"].values():
        for code, n in group["escalation"]["reasons"].items():
            reasons[code] = reasons.get(code, 0) + n
    top_reasons = sorted(reasons.items(), key=lambda p: (-p[1], p[0]))[:6]
    by_category = [(g["key"].replace("_", " "), g["count"]) for g in misses["by_category"][:6]]
    by_source = [(g["key"], g["count"]) for g in misses["by_source"][:6]]
    over_time = _days(since.date(), until.date(), daily_counts(started))
    sections = [
        ("wide", "At a glance", _cards(report)),
        (
            "wide",
            "Conversations per day",
            _legend() + charts.columns_over_time(over_time, "Conversations per day"),
        ),
        ("", "AI vs human", _legend() + _comparison(report["groups"])),
        (
            "",
            "Top escalation reasons",
            charts.bars(top_reasons, charts.HUMAN_COLOR, "Escalation reasons"),
        ),
        ("", "Top misses by category", charts.bars(by_category, "#e11d48", "Misses by category")),
        ("", "Top misses by source", charts.bars(by_source, "#0d9488", "Misses by source")),
        ("wide", "Spot-check the AI", _spot_checks(desk, unflagged_ai(started, desk.reviews, {}))),
    ]
    body = "".join(
        f"<section class='{cls}' data-chart='{escape(title)}'><h2>{escape(title)}</h2>{html}</section>"
        for cls, title, html in sections
    )
    period = f"{since.date().isoformat()} to {until.date().isoformat()}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Tandem review</title><style>{STYLE}</style></head><body>"
        f"<header><h1>AI and humans, measured the same way</h1><p>{escape(period)} · "
        f"{misses['total']} misses reported</p></header><main>{body}</main></body></html>"
    )
