"""The review studio (`anthology review`): a local web page where an editor sees every article
as the book will print it and corrects it (blocks kept or removed, metadata, site rules), each
correction written at once to the collection file. See docs/review-studio.md.

- state.py: the collection as loaded, and corrections applied to the collection file;
- loading.py: the articles read in the background while the page is already served;
- manifest_edit.py: round-trip edits of the YAML (comments and formatting kept);
- blocks.py, views.py: what the page shows; app.py: the web application;
- build.py: the Build button; site_rules.py: "remove blocks like this from the whole site".
"""

from __future__ import annotations

import importlib
import os
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..errors import AnthologyError

HOST = "127.0.0.1"  # never another interface: the studio edits files


def _listening(port: int) -> socket.socket:
    # Named TCP, and without Nagle's delay: asyncio turns the delay off only on sockets made for
    # IPPROTO_TCP, and with it every answer sent in two writes (headers, then body) waited 40 ms
    # for the browser's delayed acknowledgement.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((HOST, port))
        sock.listen(128)  # from now on the address answers: requests wait until the server takes them
    except OSError as exc:
        sock.close()
        raise AnthologyError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; give another --port") from None
    return sock


def _has_display() -> bool:
    """Whether a graphical browser can open here. Without a display, Python's webbrowser falls
    back on a text browser (lynx, w3m), which would take over the terminal the studio runs in."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def serve(manifest: Path, port: int = 0, open_browser: bool = True,
          announce: Callable[[str], None] = print) -> None:
    """Check the collection file, listen on 127.0.0.1 (an ephemeral port unless `port`), print
    the address, open it in the browser and serve until Ctrl-C, reading the articles meanwhile
    (loading.py): the page lists them at once and shows each as it is read."""
    # deferred: the web server and the studio's application are loaded when the studio starts, not
    # whenever the package is imported (its workers import it to read articles)
    import uvicorn

    from .app import StudioApp  # deferred, as uvicorn
    from .state import Studio  # deferred, as uvicorn

    studio_app = StudioApp(Studio(manifest))
    sock = _listening(port)
    bound = sock.getsockname()[1]
    studio_app.listening_on(bound)
    url = f"http://{HOST}:{bound}/"
    config = uvicorn.Config(studio_app.asgi(), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    announce(f"Review studio for {manifest} at {url}  (Ctrl-C stops)")
    try:
        studio_app.studio.start_loading()  # before the threads below: its workers are forked here
    except BaseException:
        sock.close()
        raise
    if open_browser and _has_display():
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    elif open_browser:
        announce("No graphical display here: open the address in a browser yourself.")
    # The first correction needs the normaliser's corrections, which a start from the work cache
    # never imported: imported while the editor reads the page, not when they click.
    threading.Thread(target=importlib.import_module, args=("compiler.normalise.corrections",), daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        studio_app.studio.stop_loading()
        studio_app.builds.stop()
        sock.close()
