"""Safe Markdown for question prompts, choices and explanations.

Markdown is rendered with fenced code highlighted by Pygments (CSS classes,
no inline styles), then sanitised with nh3 against an allowlist: raw HTML,
scripts, event handlers and javascript: links never reach the page.
"""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists"]
EXTENSION_CONFIGS = {"codehilite": {"css_class": "codehilite", "guess_lang": False}}

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "td": {"align"},
    "th": {"align"},
}
# Pygments token classes are short lowercase names ("k", "nf", "s2"); only
# those and our own wrapper class survive.
ALLOWED_CLASSES = {"codehilite", "hll"}


def _keep_class(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = [
        name
        for name in value.split()
        if name in ALLOWED_CLASSES or (name.isalnum() and name.islower() and len(name) <= 3)
    ]
    return " ".join(kept) or None


def render_markdown(text: str) -> SafeString:
    return mark_safe(_render(text or ""))  # sanitised by nh3 in _render


# Question texts never change once a version is in use, and the same prompts are
# rendered for every candidate: caching the sanitised HTML keeps Markdown and
# Pygments off the hot path of the question page.
@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_class,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)
