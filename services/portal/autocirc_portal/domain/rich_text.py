"""Notice bodies: sanitised by nh3 (Ammonia) to a small allow-list; a body that tried script is refused first,
so an author learns it rather than seeing part of the text vanish."""
from __future__ import annotations

from html.parser import HTMLParser

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "a", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "hr", "img", "sub", "sup"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "meta",
                  "link", "style", "svg", "math"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")


class _Probe(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            squeezed = "".join((value or "").split()).lower()
            if name in {"href", "src", "action", "formaction", "xlink:href"} and squeezed.startswith(DANGEROUS_SCHEMES):
                self.found.append(f"{name}={squeezed.split(':')[0]}:")

    handle_startendtag = handle_starttag


def script_in(html: str) -> list[str]:
    """What in the body would run (tags, event attributes, script URLs); empty when it is plain rich text."""
    probe = _Probe()
    probe.feed(html)
    probe.close()
    return probe.found
