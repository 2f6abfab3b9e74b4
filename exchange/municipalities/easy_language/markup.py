"""The admins' tiny markup for the Leichte-Sprache text: pure, no HTML ever comes out of here.

A blank line ends a paragraph; a line starting with "## " is a heading; lines starting with
"- " form a list; the other lines of a paragraph keep their line breaks (one sentence per
line is the Leichte-Sprache habit). "[words](address)" is a link when the address is a path
on this site ("/…"), https://…, tel:… or mailto:…; anything else stays text. The template
escapes every piece it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A piece of a line: its text, and the address it links to (None for plain text).
Segment = tuple[str, str | None]

_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
_SAFE_HREF = re.compile(r"(/(?![/\\])|https://[^/\\@]|tel:\+?[\d-]+$|mailto:[^:/\\]+@)", re.I)


@dataclass
class Block:
    """A heading (one line), a paragraph (its lines) or a list (its items)."""

    kind: str  # "heading" | "paragraph" | "list"
    lines: list[list[Segment]] = field(default_factory=list)


def normalise(text: str) -> str:
    """LF line ends, no trailing spaces, no blank lines at either end."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def is_safe_href(href: str) -> bool:
    """A site path, an https address, a phone number or an e-mail address; never a script."""
    return bool(_SAFE_HREF.match(href))


def segments(line: str) -> list[Segment]:
    """The line split into text and links; a link with an unsafe address stays as text."""
    pieces: list[Segment] = []
    position = 0
    for found in _LINK.finditer(line):
        text, href = found.group(1).strip(), found.group(2)
        if not text or not is_safe_href(href):
            continue
        if found.start() > position:
            pieces.append((line[position : found.start()], None))
        pieces.append((text, href))
        position = found.end()
    if position < len(line):
        pieces.append((line[position:], None))
    return pieces


def parse(text: str) -> list[Block]:
    """The blocks of text, in order."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in normalise(text).split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith("## ") or line == "##":
            heading = line[2:].strip()
            if heading:
                blocks.append(Block("heading", [segments(heading)]))
            current = None
        elif line.startswith("- ") or line == "-":
            item = line[1:].strip()
            if current is None or current.kind != "list":
                current = Block("list")
                blocks.append(current)
            if item:
                current.lines.append(segments(item))
        else:
            if current is None or current.kind != "paragraph":
                current = Block("paragraph")
                blocks.append(current)
            current.lines.append(segments(line))
    return [block for block in blocks if block.lines]
