"""The studio's web application (Starlette): one page, and a small JSON API the page's script calls.

Safety: the server answers only requests addressed to 127.0.0.1 or localhost (a page of another
site cannot reach it by rebinding its own name to this address); every request that changes
anything carries the per-run token the page holds (another page in the browser cannot read it,
so it cannot make edits); and the Content-Security-Policy lets the page run its own script file
and nothing else, so no script in an article can ever run, even one a sanitiser missed.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..book.fonts import book_type, font_face_css, stack_css
from ..book.templating import Renderer, compiled_templates_folder
from ..builders.content import PackagedImage
from ..errors import AnthologyError
from .build import Builds
from .site_rules import SiteRules
from .state import Refused, Stale, Studio
from .views import ArticleState, Pending, preview

TOKEN_HEADER = "X-Studio-Token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; font-src 'self'; "
       "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
STATIC = {"studio.js": "text/javascript", "studio.css": "text/css"}
Handler = Callable[[Request], Awaitable[Response]]
PANE_WAIT = 30.0  # seconds an article's pane waits for the article to be read; the page asks again after


class StudioApp:
    def __init__(self, studio: Studio, token: str | None = None) -> None:
        self.studio = studio
        self.token = token or secrets.token_urlsafe(32)
        # compiled templates kept where builds keep theirs: a start compiles none of them again
        self.renderer = Renderer("studio", studio.root, compiled_templates_folder())
        self.preview_renderer = Renderer("html", studio.root, compiled_templates_folder())
        self.builds = Builds(studio.path.resolve())
        self.images: dict[str, PackagedImage] = {}  # the previews' images, by the name the preview gives them
        self.allowed_hosts: set[str] = set()  # host:port names the server answers to, set once it listens

    def listening_on(self, port: int) -> None:
        self.allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    def asgi(self) -> Starlette:
        routes = [
            Route("/", self.page),
            Route("/static/{name}", self.static),
            Route("/image/{name}", self.image),
            Route("/font/{name}", self.font),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            Route("/api/toggle", self.guarded(self.toggle), methods=["POST"]),
            Route("/api/field", self.guarded(self.field), methods=["POST"]),
            Route("/api/build", self.guarded(self.build), methods=["POST"]),
            Route("/api/build", self.build_status, methods=["GET"]),
            Route("/api/pane", self.pane, methods=["GET"]),
            Route("/api/states", self.states, methods=["GET"]),
            Route("/api/site-rule/preview", self.guarded(self.rule_preview), methods=["POST"]),
            Route("/api/site-rule/save", self.guarded(self.rule_save), methods=["POST"]),
        ]
        app = Starlette(routes=routes)
        app.add_middleware(_Headers, studio_app=self)
        return app

    # ---- pages --------------------------------------------------------------------------

    def page(self, request: Request) -> Response:
        """The list of articles at once (read or not yet), and the article open, when it is read."""
        try:
            version = self.studio.current()
        except Exception as exc:  # the file was broken in an editor meanwhile: say so and wait
            return HTMLResponse(self.renderer.render("broken.html", lines=_error_lines(exc)), status_code=500)
        states = self.studio.states()
        number = min(max(_int(request.query_params.get("article"), 1), 1), len(states))
        state = states[number - 1]
        if isinstance(state, Pending) and not state.problems:
            self.studio.wait_for(number, 0)  # read next; the page's script asks for its pane
            pane = ""
        else:
            pane = self._pane(state)
        answer = HTMLResponse(self.renderer.render(
            "page.html", token=self.token, version=version, states=states, current=state, pane=pane,
            progress=self._progress(), title=self.studio.manifest.data.title, collection=self.studio.path.name))
        self.studio.page_served.set()
        return answer

    def _progress(self) -> dict[str, Any]:
        studio = self.studio
        with studio.lock:
            return {"ready": studio.ready_count(), "total": len(studio.manifest.entries),
                    "complete": studio.complete and studio.loaded is not None, "done": studio.complete,
                    "problems": list(studio.problems),
                    "sequence": studio.sequence}

    def _pane(self, state: ArticleState | Pending) -> str:
        if isinstance(state, Pending):
            return self.renderer.render("pane.html", state=state, preview="")
        shown = preview(self.preview_renderer, state, self.studio.manifest, self.images)
        return self.renderer.render("pane.html", state=state, preview=shown)

    async def pane(self, request: Request) -> Response:
        """An article's pane, once it is read (it is read next if it was not)."""
        number = _int(request.query_params.get("article"), 0)
        try:
            state = await run_in_threadpool(self.studio.wait_for, number, PANE_WAIT)
        except Refused as exc:
            return JSONResponse({"error": exc.lines}, status_code=404)
        if isinstance(state, Pending) and not state.problems:
            return JSONResponse({"error": [f"article {number} is not read yet"]}, status_code=503)
        return JSONResponse(await run_in_threadpool(self._article_json, state))

    def _article_json(self, state: ArticleState | Pending) -> dict[str, Any]:
        return {"pane": self._pane(state), "number": state.number, "status": state.status,
                "row": self.renderer.render("row.html", state=state, current=state)}

    async def states(self, request: Request) -> Response:
        """What changed in the list since the page's `since`: the rows to replace, and the progress."""
        since = _int(request.query_params.get("since"), 0)
        current = _int(request.query_params.get("current"), 0)
        return JSONResponse(await run_in_threadpool(self._changed_rows, since, current))

    def _changed_rows(self, since: int, current: int) -> dict[str, Any]:
        studio = self.studio
        with studio.lock:
            progress = self._progress()
            numbers = [n for n, seq in studio.row_changed.items()
                       if seq > since and 1 <= n <= len(studio.manifest.entries)]
            states = [studio.state(n) for n in sorted(numbers)]
        shown = next((s for s in states if s.number == current), None) if current else None
        rows = {str(s.number): self.renderer.render("row.html", state=s, current=shown or _Current(current))
                for s in states}
        return {**progress, "rows": rows, "version": studio.version}

    def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found", status_code=404)
        text = self.renderer.read_static(name)
        if name == "studio.css":
            text += preview_type_css()
        return Response(text, media_type=STATIC[name])

    def font(self, request: Request) -> Response:
        """The book face's files (shipped with the package), so the preview is set as the book is."""
        faces = {path.name: path for path, _, _ in book_type().faces}
        path = faces.get(request.path_params["name"])
        if path is None:
            return Response("not found", status_code=404)
        return Response(path.read_bytes(), media_type="font/ttf", headers={"cache-control": "max-age=3600"})

    def image(self, request: Request) -> Response:
        """An image a preview shows: only those the book's own code took from the collection folder."""
        image = self.images.get(request.path_params["name"])
        if image is None:
            return Response("not found", status_code=404)
        return Response(image.data, media_type=image.media_type)

    # ---- the API --------------------------------------------------------------------------

    def guarded(self, handler: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[Request], Awaitable[Response]]:
        """A state-changing endpoint: refused without the page's token; JSON in and out."""
        async def endpoint(request: Request) -> Response:
            given = request.headers.get(TOKEN_HEADER, "")
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                return JSONResponse({"error": ["error: this request does not carry the studio's token; "
                                               "reload the studio page"]}, status_code=403)
            try:
                body = await request.json()
            except ValueError:
                return JSONResponse({"error": ["error: the request is not JSON"]}, status_code=400)
            if not isinstance(body, dict):
                return JSONResponse({"error": ["error: the request is not a JSON object"]}, status_code=400)
            try:
                return JSONResponse(await run_in_threadpool(handler, body))
            except Stale:
                return JSONResponse({"reload": True, "error": ["the collection file changed on disk; reloading"]},
                                    status_code=409)
            except Refused as exc:
                return JSONResponse({"error": exc.lines}, status_code=422)

        return endpoint

    def _article_reply(self, version: str, number: int) -> dict[str, Any]:
        return {"version": version, **self._article_json(self.studio.state(number))}

    def toggle(self, body: dict[str, Any]) -> dict[str, Any]:
        number = _int(body.get("article"), 0)
        version = self.studio.toggle(str(body.get("version")), number, str(body.get("block")))
        return self._article_reply(version, number)

    def field(self, body: dict[str, Any]) -> dict[str, Any]:
        number = _int(body.get("article"), 0)
        version = self.studio.set_field(str(body.get("version")), number, str(body.get("key")),
                                        str(body.get("value") or ""))
        return self._article_reply(version, number)

    def build(self, body: dict[str, Any]) -> dict[str, Any]:
        formats = [str(name) for name in body.get("formats") or [] if isinstance(name, str)]
        self.builds.start(formats)
        return self.builds.status()

    async def build_status(self, request: Request) -> Response:
        return JSONResponse(self.builds.status())

    def rule_preview(self, body: dict[str, Any]) -> dict[str, Any]:
        number = _int(body.get("article"), 0)
        return SiteRules(self.studio).preview(number, str(body.get("block")))

    def rule_save(self, body: dict[str, Any]) -> dict[str, Any]:
        number = _int(body.get("article"), 0)
        version = SiteRules(self.studio).save(str(body.get("version")), number, str(body.get("block")))
        return self._article_reply(version, number)


class _Headers:
    """Refuse requests addressed to another host name; add the security headers to every answer."""

    def __init__(self, app: Any, studio_app: StudioApp) -> None:
        self.app = app
        self.studio_app = studio_app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        allowed = self.studio_app.allowed_hosts
        if allowed and host not in allowed:
            await Response("wrong host", status_code=421)(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (b"content-security-policy", CSP.encode()),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"referrer-policy", b"no-referrer"),
                                      (b"cache-control", b"no-store")]
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass
class _Current:
    """The article open in the page, for a row rendered on its own (row.html marks the current one)."""

    number: int


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _error_lines(exc: Exception) -> list[str]:
    if isinstance(exc, AnthologyError):
        return [f"error: {problem}" for problem in exc.problems]
    return [f"error: {type(exc).__name__}: {exc}"]


def preview_type_css() -> str:
    """The preview in the book face, from /font/ (the fallbacks as the books have them)."""
    faces = font_face_css((f"/font/{path.name}", weight, style) for path, weight, style in book_type().faces)
    # Garamond sets small: a size that reads as the page's 15px serif did.
    preview = f".preview {{ font-family: {stack_css()}; font-size: 17px; }}"
    return f"\n/* The book face (compiler/studio/app.py) */\n{faces}{preview}\n"
