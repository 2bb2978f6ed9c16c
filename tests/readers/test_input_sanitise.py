"""The allowlist sanitiser on its own: what survives, what is described, and that the output is XML."""

from __future__ import annotations

import pytest
from lxml import etree

from compiler.readers.sanitise import local_images, no_images, sanitise


@pytest.mark.parametrize("markup", [
    '<p onclick="HOSTILE()">Words</p>',
    '<p style="background: url(http://127.0.0.1:9/x.png)">Words</p>',
    "<p>Words<script>HOSTILE()</script></p>",
    "<p>Words</p><style>@import url(http://127.0.0.1:9/x.css);</style>",
    '<p>Words<iframe src="http://127.0.0.1:9/frame"></iframe></p>',
    '<p>Words</p><form action="http://127.0.0.1:9/f"><input name="q"/></form>',
    '<p>Words<object data="http://127.0.0.1:9/o.swf"></object><embed src="x.swf"/></p>',
    '<base href="http://127.0.0.1:9/"/><meta http-equiv="refresh" content="0"/><p>Words</p>',
    '<link rel="attachment" href="file:///etc/passwd"/><p>Words</p>',
    '<p><a href="javascript:HOSTILE()">Words</a></p>',
])
def test_nothing_that_runs_fetches_or_restyles_survives(markup: str) -> None:
    out = sanitise(markup)
    for marker in ("HOSTILE", "style", "script", "iframe", "form", "input", "object", "embed", "base", "meta",
                   "link", "127.0.0.1", "passwd", "javascript", "onclick"):
        assert marker not in out, (marker, out)
    assert "Words" in out


def test_images_follow_the_policy() -> None:
    markup = ('<p><img src="pics/a.png" alt="kept"/><img src="file:///etc/passwd" alt="a file"/>'
              '<img src="http://127.0.0.1:9/b.png" alt="remote"/><img src="/abs.png" alt="rooted"/>'
              '<img src="http://127.0.0.1:9/c.png"/>tail</p>')
    out = sanitise(markup, local_images)
    assert '<img src="pics/a.png" alt="kept"/>' in out
    for alt in ("a file", "remote", "rooted"):
        assert f'<span class="image-omitted">[Image: {alt}]</span>' in out
    assert "passwd" not in out and "127.0.0.1" not in out and "tail</p>" in out
    assert "<img" not in sanitise('<p><img src="pics/a.png" alt="x"/></p>', no_images)


def test_links_keep_web_addresses_only() -> None:
    out = sanitise('<p><a href="https://example.org/a">web</a> <a href="/site/page">site</a> '
                   '<a href="mailto:desk@example.org">mail</a></p>')
    assert '<a href="https://example.org/a">web</a>' in out
    assert "site" in out and "/site/page" not in out
    assert '<a href="mailto:desk@example.org">mail</a>' in out


@pytest.mark.parametrize("markup", [
    "<p>Unclosed <b>bold <i>and italic</p>",
    "<p>A form feed \x0c and a null \x00 character</p>",
    "<p>Entities &amp; &nbsp; &eacute; &#x1F600; &bogus;</p>",
    "<ul><li>one<li>two</ul><br><hr>",
    "<table><tr><td>cell<td>cell</table>",
    "Loose text <em>outside</em> any element",
])
def test_output_parses_as_xml(markup: str) -> None:
    out = sanitise(markup)
    etree.fromstring(f"<div>{out}</div>")  # raises when the fragment is not well-formed
