"""Small inline SVG charts (no script, no external assets): columns over time and bars."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

AI_COLOR = "#4f46e5"
HUMAN_COLOR = "#f59e0b"
INK = "#334155"
MUTED = "#94a3b8"
GRID = "#e2e8f0"
FONT = "font-family='system-ui, sans-serif' font-size='12'"


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' "
        f"role='img' aria-label='{escape(label)}' {FONT}>{body}</svg>"
    )


def _text(x: float, y: float, words: str, anchor: str = "start", fill: str = INK) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' fill='{fill}'>{escape(words)}</text>"
    )


def columns_over_time(days: list[tuple[str, int, int]], label: str) -> str:
    """Paired columns per day: AI alone and with a human."""
    width, height, left, bottom, top = 960, 220, 36, 28, 12
    highest = max([max(a, h) for _, a, h in days] + [1])
    peak = max(4, math.ceil(highest / 4) * 4)  # whole-number grid lines
    slot = (width - left - 8) / max(len(days), 1)
    bar = max(min(slot / 2 - 2, 18), 1.5)
    scale = (height - bottom - top) / peak
    parts = [_grid(left, width, height - bottom, top, peak)]
    every = max(len(days) // 8, 1)
    for index, (day, ai, human) in enumerate(days):
        x = left + index * slot + slot / 2 - bar
        for offset, value, color, group in (
            (0, ai, AI_COLOR, "ai"),
            (bar, human, HUMAN_COLOR, "human"),
        ):
            h = value * scale
            parts.append(
                f"<rect class='bar' data-group='{group}' data-day='{day}' data-value='{value}' "
                f"x='{x + offset:.1f}' y='{height - bottom - h:.1f}' width='{bar:.1f}' "
                f"height='{h:.1f}' rx='2' fill='{color}'><title>{day} {group}: {value}</title></rect>"
            )
        if index % every == 0:
            parts.append(_text(x + bar, height - bottom + 16, day[5:], "middle", MUTED))
    return _svg(width, height, "".join(parts), label)


def _grid(left: float, right: float, base: float, top: float, peak: int) -> str:
    lines = []
    for step in range(5):
        value = peak * step / 4
        y = base - (base - top) * step / 4
        lines.append(f"<line x1='{left}' x2='{right}' y1='{y:.1f}' y2='{y:.1f}' stroke='{GRID}'/>")
        lines.append(
            _text(left - 6, y + 4, f"{value:g}" if value % 1 else str(int(value)), "end", MUTED)
        )
    return "".join(lines)


def bars(rows: Sequence[tuple[str, float]], color: str, label: str, unit: str = "") -> str:
    """Horizontal bars, one per row, largest value full width."""
    width, row, left = 480, 30, 190
    if not rows:
        return _svg(width, row, _text(0, 20, "Nothing yet", fill=MUTED), label)
    peak = max(value for _, value in rows) or 1
    parts = []
    for index, (name, value) in enumerate(rows):
        y = index * row + 4
        w = (width - left - 60) * value / peak
        parts.append(_text(left - 8, y + 15, name[:28], "end"))
        parts.append(
            f"<rect class='bar' data-label='{escape(name)}' data-value='{value:g}' x='{left}' "
            f"y='{y}' width='{max(w, 2):.1f}' height='20' rx='3' fill='{color}'/>"
        )
        parts.append(_text(left + w + 6, y + 15, f"{value:g}{unit}"))
    return _svg(width, len(rows) * row + 8, "".join(parts), label)


def paired_bars(rows: list[tuple[str, float, float, str, str]], label: str) -> str:
    """Side-by-side AI and human bars per measure; each row scaled to its own largest value."""
    width, row, left = 480, 54, 150
    parts = []
    for index, (name, ai, human, ai_text, human_text) in enumerate(rows):
        y, peak = index * row + 4, max(ai, human) or 1
        parts.append(_text(left - 8, y + 24, name, "end"))
        for offset, value, words, color, group in (
            (0, ai, ai_text, AI_COLOR, "ai"),
            (22, human, human_text, HUMAN_COLOR, "human"),
        ):
            w = (width - left - 70) * value / peak
            parts.append(
                f"<rect class='bar' data-group='{group}' data-value='{value:g}' x='{left}' "
                f"y='{y + offset}' width='{max(w, 2):.1f}' height='18' rx='3' fill='{color}'/>"
            )
            parts.append(_text(left + w + 6, y + offset + 14, words))
    return _svg(width, len(rows) * row + 4, "".join(parts), label)
