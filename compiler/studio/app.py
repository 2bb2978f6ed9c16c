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
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..builders.content import PackagedImage
from ..render import Renderer, compiled_templates_folder
from .build import Builds
from .state import Loaded, Refused, Stale, Studio
from .views import article_states, preview

TOKEN_HEADER = "X-Studio-Token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
STATIC = {"studio.js": "text/javascript", "studio.css": "text/css"}
Handler = Callable[[Request], Awaitable[Response]]


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
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            Route("/api/toggle", self.guarded(self.toggle), methods=["POST"]),
            Route("/api/field", self.guarded(self.field), methods=["POST"]),
            Route("/api/build", self.guarded(self.build), methods=["POST"]),
            Route("/api/build", self.build_status, methods=["GET"]),
            Route("/api/site-rule/preview", self.guarded(self.rule_preview), methods=["POST"]),
            Route("/api/site-rule/save", self.guarded(self.rule_save), methods=["POST"]),
        ]
        app = Starlette(routes=routes)
        app.add_middleware(_Headers, studio_app=self)
        return app

    # ---- pages --------------------------------------------------------------------------

    def page(self, request: Request) -> Response:
        try:
            loaded = self.studio.current()
        except Exception as exc:  # the file was broken in an editor meanwhile: say so and wait
            return HTMLResponse(self.renderer.render("broken.html", lines=_error_lines(exc)), status_code=500)
        states = article_states(loaded.collection)
        number = _int(request.query_params.get("article"), 1)
        number = min(max(number, 1), len(states))
        state = states[number - 1]
        return HTMLResponse(self.renderer.render(
            "page.html", token=self.token, version=loaded.version, states=states, current=state,
            pane=self._pane(state), title=loaded.collection.manifest.data.title,
            collection=self.studio.path.name))

    def _pane(self, state: Any) -> str:
        shown = preview(self.preview_renderer, state, self.studio.collection.manifest, self.images)
        return self.renderer.render("pane.html", state=state, preview=shown)

    def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found", status_code=404)
        return Response(self.renderer.read_static(name), media_type=STATIC[name])

    def image(self, request: Request) -> Response:
        """An image a preview shows: only those the book's own code took from the collection folder."""
        image = self.images.get(request.path_params["name"])
        if image is None:
            return Response("not found", status_code=404)
        return Response(image.data, media_type=image.media_type)

    # ---- the API --------------------------------------------------------------------------

    def guarded(self, handler: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[Request], Awaitable[Response]]:
        """A state-changing endpoint: refused without the page's token; JSON in and out."""
        from starlette.concurrency import run_in_threadpool

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

    def _article_reply(self, loaded: Loaded, number: int, **extra: Any) -> dict[str, Any]:
        states = article_states(loaded.collection)
        state = states[number - 1]
        return {"version": loaded.version, "pane": self._pane(state), "row": self.renderer.render(
            "row.html", state=state, current=state), "number": number, **extra}

    def toggle(self, body: dict[str, Any]) -> dict[str, Any]:
        number = _int(body.get("article"), 0)
        loaded = self.studio.toggle(str(body.get("version")), number, str(body.get("block")))
        return self._article_reply(loaded, number)

    def field(self, body: dict[str, Any]) -> dict[str, Any]:
        number = _int(body.get("article"), 0)
        loaded = self.studio.set_field(str(body.get("version")), number, str(body.get("key")),
                                       str(body.get("value") or ""))
        return self._article_reply(loaded, number)

    def build(self, body: dict[str, Any]) -> dict[str, Any]:
        formats = [str(name) for name in body.get("formats") or [] if isinstance(name, str)]
        self.builds.start(formats)
        return self.builds.status()

    async def build_status(self, request: Request) -> Response:
        return JSONResponse(self.builds.status())

    def rule_preview(self, body: dict[str, Any]) -> dict[str, Any]:
        from .site_rules import SiteRules  # the normaliser, imported when a rule is first taught

        number = _int(body.get("article"), 0)
        return SiteRules(self.studio).preview(number, str(body.get("block")))

    def rule_save(self, body: dict[str, Any]) -> dict[str, Any]:
        from .site_rules import SiteRules

        number = _int(body.get("article"), 0)
        loaded = SiteRules(self.studio).save(str(body.get("version")), number, str(body.get("block")))
        return self._article_reply(loaded, number)


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


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _error_lines(exc: Exception) -> list[str]:
    from ..errors import AnthologyError

    if isinstance(exc, AnthologyError):
        return [f"error: {problem}" for problem in exc.problems]
    return [f"error: {type(exc).__name__}: {exc}"]

