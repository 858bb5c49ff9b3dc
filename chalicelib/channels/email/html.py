"""HTML email bodies as readable plain text, with the standard library only."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = frozenset(
    {"p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "hr"}
    | {"blockquote", "section", "article", "header", "footer", "address", "center", "dl", "dt"}
)
HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
SPACES = re.compile(r"[ \t\r\n\f\v]+")


class TextRenderer(HTMLParser):
    """Collects visible text; blockquotes come out as '> ' lines like a plain-text reply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0
        self.quote_depth = 0
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Opens a block, a line break or a hidden region."""
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.new_line()
        elif tag == "li":
            self.new_line()
            self.write("- ")
        elif tag in BLOCKS:
            self.open_block(tag)

    def handle_endtag(self, tag: str) -> None:
        """Closes what handle_starttag opened."""
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
        self.quote_depth += tag == "blockquote"
        self.in_pre += tag == "pre"

    def close_block(self, tag: str) -> None:
        """Ends a block element; paragraphs leave a blank line."""
        self.new_line()
        if tag in {"p", "blockquote", "table"}:
            self.new_line()
        self.quote_depth = max(0, self.quote_depth - (tag == "blockquote"))
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
    """Readable plain text of an HTML body: blocks on their own lines, quotes prefixed '> '."""
    renderer = TextRenderer()
    renderer.feed(html)
    renderer.close()
    text = "\n".join(line.rstrip() for line in renderer.lines).strip("\n")
    return text.replace("\xa0", " ")
