"""HTML email bodies as readable plain text, with the standard library only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

BLOCKS = frozenset(
    {"p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "hr"}
    | {"blockquote", "section", "article", "header", "footer", "address", "center", "dl", "dt"}
)
HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
SPACES = re.compile(r"[ \t\r\n\f\v]+")
# Quoted history by structure: an element that holds the quote (Gmail, Yahoo, Thunderbird's cite
# prefix, Zoho, any blockquote) ...
QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "zmail_extra", "mail-quote")
# ... or one that starts it, everything after being history (Outlook's reply block on the web and
# for Mac, the Windows Live rule).
HISTORY_IDS = ("divrplyfwdmsg", "olk_src_body_section", "stopspelling", "yahoo_quoted")
Attrs = list[tuple[str, str | None]]


def attr(attrs: Attrs, name: str) -> str:
    """An attribute's value, lowercase ('' when absent)."""
    return next(((value or "").lower() for key, value in attrs if key == name), "")


def holds_quote(tag: str, attrs: Attrs) -> bool:
    """The element holds quoted history: a blockquote, or a client's quote container."""
    classes = attr(attrs, "class")
    return tag == "blockquote" or any(name in classes for name in QUOTE_CLASSES)


def starts_history(tag: str, attrs: Attrs) -> bool:
    """The element starts the history: all that follows it was quoted by the client."""
    ident = attr(attrs, "id")
    return any(ident.startswith(name) for name in HISTORY_IDS)


class TextRenderer(HTMLParser):
    """Collects visible text; quoted history comes out as '> ' lines like a plain-text reply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0
        self.quote_depth = 0
        self.in_pre = 0
        # Open quote containers: [tag, same-name elements opened inside it].
        self.quotes: list[list[Any]] = []

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        """Opens a block, a line break, a hidden region or a quote."""
        self.track_quotes(tag, attrs)
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.new_line()
        elif tag == "li":
            self.new_line()
            self.write("- ")
        elif tag in BLOCKS:
            self.open_block(tag)

    def track_quotes(self, tag: str, attrs: Attrs) -> None:
        """Quote containers open a quoted region; a history start quotes the rest of the mail."""
        if starts_history(tag, attrs):
            self.new_line()
            self.quote_depth += 1  # never closed: the rest is history
        elif holds_quote(tag, attrs) and tag not in VOID:
            self.new_line()
            self.quotes.append([tag, 0])
            self.quote_depth += 1
        elif self.quotes and self.quotes[-1][0] == tag:
            self.quotes[-1][1] += 1

    def untrack_quotes(self, tag: str) -> None:
        """The end of a quote container closes its quoted region."""
        if not self.quotes or self.quotes[-1][0] != tag:
            return
        if self.quotes[-1][1]:
            self.quotes[-1][1] -= 1
            return
        self.quotes.pop()
        self.new_line()
        self.quote_depth = max(0, self.quote_depth - 1)

    def handle_endtag(self, tag: str) -> None:
        """Closes what handle_starttag opened."""
        self.close_element(tag)
        self.untrack_quotes(tag)

    def close_element(self, tag: str) -> None:
        """Ends a hidden region, a block or a table cell."""
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.close_block(tag)
        elif tag == "td":
            self.write(" ")

    def handle_data(self, data: str) -> None:
        """Visible text, whitespace collapsed as a browser would (except in <pre>)."""
        if self.hidden:
            return
        if self.in_pre:
            for index, part in enumerate(data.split("\n")):
                if index:
                    self.new_line()
                self.write(part)
            return
        text = SPACES.sub(" ", data)
        self.write(text.lstrip() if not self.current_text() else text)

    def open_block(self, tag: str) -> None:
        """Starts a block element on its own line."""
        self.new_line()
        self.in_pre += tag == "pre"

    def close_block(self, tag: str) -> None:
        """Ends a block element; paragraphs leave a blank line."""
        self.new_line()
        if tag in {"p", "blockquote", "table"}:
            self.new_line()
        self.in_pre = max(0, self.in_pre - (tag == "pre"))

    def current_text(self) -> str:
        """The text of the current line without its quote prefix."""
        return self.lines[-1].lstrip("> ")

    def write(self, text: str) -> None:
        """Appends to the current line, starting it with the quote prefix when quoted."""
        if not text:
            return
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text

    def new_line(self) -> None:
        """Ends the current line, never stacking more than one blank line."""
        if self.lines[-1].strip() or (len(self.lines) > 1 and self.lines[-2].strip()):
            self.lines[-1] = self.lines[-1].rstrip()
            self.lines.append("")


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: blocks on their own lines, quoted history as '> '."""
    renderer = TextRenderer()
    renderer.feed(html)
    renderer.close()
    text = "\n".join(line.rstrip() for line in renderer.lines).strip("\n")
    return text.replace("\xa0", " ")
