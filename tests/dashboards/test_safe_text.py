"""Submitted text in Markdown: no link, image or HTML, in CommonMark or in GitHub's autolinks."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from dashboards import safe_text

# GitHub's autolink literals as remark-gfm (Streamlit's Markdown) finds them in the text once
# the backslash escapes are resolved (mdast-util-gfm-autolink-literal).
GFM_URL = re.compile(r"(?i)(https?://|www(?=\.))[-.\w]+")
GFM_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+")
HOSTILE = [
    "![x](http://127.0.0.1:9/pixel.png) [Open the corrected template](http://127.0.0.1:9/phish)",
    '<a href="http://127.0.0.1:9/x">click</a> <img src=http://127.0.0.1:9/img.png>',
    "HTTPS://evil.example/x www.evil.example evil@evil.example :red[alarm] **bold**",
]


def text_of(markdown: str) -> str:
    """The text a reader sees: CommonMark with the escapes resolved, tags stripped."""
    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(markdown)))


def test_markdown_shows_the_text_with_no_link_image_or_html() -> None:
    for hostile in HOSTILE:
        rendered = MarkdownIt("commonmark").render(safe_text.markdown(hostile))
        assert "<a " not in rendered and "<img" not in rendered and "<strong" not in rendered
        assert (
            text_of(safe_text.markdown(hostile)).strip().replace(safe_text.WORD_JOINER, "")
            == hostile
        )


def test_no_bare_url_or_address_is_left_for_github_autolinks() -> None:
    for hostile in HOSTILE:
        seen = text_of(safe_text.markdown(hostile))
        assert GFM_URL.findall(hostile) or GFM_EMAIL.findall(hostile)  # the input has some
        assert not GFM_URL.search(seen), seen
        assert not GFM_EMAIL.search(seen), seen
