"""A small collection written for the review studio's tests: two essays from one made-up site (the
same print-run note under both), and a saved web page that carries a script."""

from __future__ import annotations

from pathlib import Path

# The site's long box about itself, under every essay: longer than the boxes the collection's
# repeat finder compares (compiler/normalise/site_repeats.py), so only a rule the editor teaches takes it.
SITE_NOTE = ("The Courier has been set and printed in the back room of the old harbour office since the winter "
             "the ferry stopped calling, when four retired compositors found the presses under a tarpaulin and "
             "decided the quay deserved a paper of its own again. Every issue is folded by hand on a Sunday "
             "afternoon, carried along the front in a pram with one good wheel, and left in the cafés, the "
             "chandlery and the lifeboat station, where most of its readers first pick it up, read it twice "
             "over a slow cup of tea, and then pass it on to a neighbour.")
NEWSLETTER = "Subscribe to our newsletter for weekly news from the quay."

TIDE_BODY = [
    "The tide tables pinned inside the harbour office window are older than most of the boats that "
    "consult them, and they are still right to within a minute on most days of the year.",
    "Nobody remembers who first wrote the tables out by hand, but every winter someone copies them "
    "again in fresh ink, and the old sheet goes into a drawer with forty others like it.",
    "Visitors photograph the window and ask why the office does not simply print the tables from a "
    "website. The answer they get depends on who is behind the counter that afternoon.",
]
LOFT_BODY = [
    "The net lofts above the fish market were built for drying cotton nets, which rotted if they were "
    "stored wet, and the long slatted windows still let the sea wind straight through.",
    "Synthetic nets made the lofts useless within a decade, and for thirty years they held nothing "
    "but pigeons, broken chairs and the occasional band rehearsing where nobody could complain.",
    "This spring a woodworking club signed a lease on the largest loft. Its members sweep the floor "
    "every Saturday and leave the windows open, because the wind, they say, is part of the building.",
]


def essay(title: str, author: str, date: str, body: list[str], extra: tuple[str, ...] = ()) -> str:
    return "\n\n".join([f"# {title}", f"By {author}", f"The Quayside Courier, {date}", NEWSLETTER, *body, *extra,
                        SITE_NOTE]) + "\n"


TIDE_CHART = "![A hand-drawn tide chart](tide-chart.png)"


def tide_chart_png() -> bytes:
    """A small chart-blue picture, 40 by 20 pixels."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


SCRIPT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Lanterns on the Breakwater</title>
<meta name="author" content="Ola Writer">
<script>window.articleScriptRan = true; document.title = "hijacked";</script>
</head><body>
<article>
<h1>Lanterns on the Breakwater</h1>
<p>Every lantern on the breakwater was lit by hand until the harbour board bought electric lamps,
and the last lamplighter kept his ladder in the shed for twenty years afterwards, just in case.</p>
<script>window.articleScriptRan = true;</script>
<p onclick="window.articleScriptRan = true">The board has now voted to restore six of the old lanterns
for the festival, and the ladder, it turns out, is still sound enough to climb after all this time.</p>
<img src="x" onerror="window.articleScriptRan = true" alt="">
<p>Children on the quay have been asked to name each lantern, and the list of suggestions pinned in the
shed window has already run to three pages of names, most of them for dogs.</p>
</article>
</body></html>
"""

MANIFEST = """\
# Quay Notes: the review studio's test collection.
title: Quay Notes
editors: [Ida Editor]   # the book's editor
output: quay
articles:
  # Two essays from the Quayside Courier.
  - path: articles/tide-tables.md
  - path: articles/net-lofts.md  # saved a week later
    licence: CC BY 4.0
  - path: articles/lanterns.html
"""


def write_studio_collection(folder: Path) -> Path:
    articles = folder / "articles"
    articles.mkdir(parents=True)
    (articles / "tide-tables.md").write_text(essay("Reading the Tide Tables", "Ann Example", "March 3, 2024",
                                                   TIDE_BODY, (TIDE_CHART,)), encoding="utf-8")
    (articles / "tide-chart.png").write_bytes(tide_chart_png())
    (articles / "net-lofts.md").write_text(essay("The Net Lofts", "Bo Sample", "March 10, 2024", LOFT_BODY),
                                           encoding="utf-8")
    (articles / "lanterns.html").write_text(SCRIPT_PAGE, encoding="utf-8")
    manifest = folder / "collection.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    return manifest
