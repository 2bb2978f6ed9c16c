"""The build server: the next `anthology build` starts from the memory of the last one.

A one-shot build spends most of a small rebuild starting Python, importing its libraries and
reading every unchanged article back from the work cache. So, as its last act, a build forks a
server that keeps what `build --watch` keeps (compiler/session.py: articles, duplicate counts,
compiled rules and templates) and waits on a Unix socket. The next `anthology build` run by the
same user with the same anthology and Python hands the server its arguments, working folder,
environment, umask and its standard input, output and error, and exits with the server's exit
code: the book, the messages and the exit code are those of a build run in the command itself.

- The socket lives in a folder only its user can open (`$XDG_RUNTIME_DIR/anthology`, else
  `~/.cache/anthology/servers`), and the server serves only its own user.
- Its name is a digest of the Python and of anthology's own files, so after an upgrade or an
  edit to the code a new server is started and the old one is never asked again.
- It serves one build at a time and stops after ten idle minutes (`ANTHOLOGY_SERVER_IDLE`, in
  seconds), when asked by `anthology clean`, and after a build that was interrupted or hit a bug.
- `--no-server` or `ANTHOLOGY_SERVER=off` builds without it. `--watch`, `--no-cache` and `-v`
  always build in the command itself; so does every command but `build`, and any system but
  Linux.

Every `anthology` command imports this module first, so it imports only light standard modules.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .session import Session

PROTOCOL = 1
IDLE_SECONDS = 600.0
MOST_SESSIONS = 2  # collections kept in memory at once; the least recently built is let go
_STANDARD_FDS = (0, 1, 2)
_BUILT_HERE = ("--watch", "--no-cache", "--no-server", "-h", "--help")


def enabled() -> bool:
    return os.environ.get("ANTHOLOGY_SERVER", "on").strip().lower() not in ("off", "0", "no", "false") \
        and hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") \
        and sys.platform.startswith("linux")  # macOS forbids many libraries in a fork without exec


# ---- the command's side -----------------------------------------------------------------

def forward(argv: list[str]) -> int | None:
    """Run `anthology ARGV` in a running server and return its exit code; None when there is no
    server to ask (or it cannot take this command), so the command builds by itself."""
    if not argv or argv[0] != "build" or any(arg in _BUILT_HERE for arg in argv) or not enabled():
        return None
    path = socket_path()
    if path is None or not os.path.exists(path):
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        _send(conn, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": _umask()},
              _STANDARD_FDS)
        return _await_exit(conn)
    except OSError:
        return None  # a stale socket, or a closed standard stream: build here
    finally:
        conn.close()


def _await_exit(conn: socket.socket) -> int | None:
    replies = conn.makefile("rb")
    started = replies.readline()
    if not started:
        return None  # refused before starting (it was stopping): nothing was done
    server_pid = json.loads(started)["pid"]
    interrupted = False

    def pass_on(signum: int, frame: Any) -> None:
        nonlocal interrupted
        interrupted = True
        with contextlib.suppress(OSError):
            os.kill(server_pid, signal.SIGINT)  # Ctrl-C reaches this process only: the server has no terminal

    previous = signal.signal(signal.SIGINT, pass_on)
    try:
        finished = replies.readline()
    finally:
        signal.signal(signal.SIGINT, previous)
    if finished:
        return int(json.loads(finished)["exit"])
    if interrupted:
        return 130  # BuildInterrupted's code; this light module does not import compiler.errors
    print("anthology: the build server stopped during the build; building here instead", file=sys.stderr)
    return None


def stop_servers() -> int:
    """Ask every build server of this user to stop (`anthology clean`); returns how many were asked.
    With the server turned off, servers are not touched either (they stop when idle)."""
    folder = _server_folder(create=False) if enabled() else None
    asked = 0
    for name in sorted(os.listdir(folder)) if folder else []:
        if name.startswith("server-") and name.endswith(".sock"):
            with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(os.path.join(folder, name))  # type: ignore[arg-type]
                _send(conn, {"stop": True}, ())
                conn.makefile("rb").readline()  # stopped once it answers
                asked += 1
    return asked


def peer(conn: socket.socket) -> tuple[int, int, int]:
    """The pid, uid and gid of the process at the other end of a Unix socket, as the kernel tells them."""
    return struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))


def answering_pid(path: str) -> int | None:
    """The pid of the server listening on the socket at `path`; None if none answers."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        try:
            conn.connect(path)
        except OSError:
            return None
        return peer(conn)[0]


def _send(conn: socket.socket, message: dict[str, Any], fds: tuple[int, ...]) -> None:
    data = json.dumps(message).encode("utf-8")
    socket.send_fds(conn, [struct.pack("!I", len(data)) + data], list(fds))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def socket_path(create: bool = False) -> str | None:
    """This user's socket for this Python and this copy of anthology; None if unusable here."""
    folder = _server_folder(create)
    if folder is None:
        return None
    path = os.path.join(folder, f"server-{code_digest()}.sock")
    return path if len(path.encode()) < 100 else None  # the kernel's limit on a socket's path is ~107 bytes


def _server_folder(create: bool) -> str | None:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        folder = os.path.join(runtime, "anthology")
    else:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(cache, "anthology", "servers")
    if create:
        with contextlib.suppress(OSError):
            os.makedirs(folder, mode=0o700, exist_ok=True)
    try:
        info = os.stat(folder)
    except OSError:
        return None
    # Only a folder of our own that nobody else may enter: a socket there is ours.
    return folder if info.st_uid == os.geteuid() and not info.st_mode & 0o077 else None


def code_digest() -> str:
    """Changes with the Python, its import path and anthology's files (their times and sizes)."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [str(PROTOCOL), sys.executable, sys.version, str(os.geteuid())]
    for entry in sys.path[1:]:  # the first is the command's own folder (the working one for `python -m`)
        if entry.endswith("-packages"):
            with contextlib.suppress(OSError):  # an install or upgrade changes site-packages
                parts.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
        else:
            parts.append(entry)
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{info.st_mtime_ns}:{info.st_size}")
    data = "\n".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


# ---- the server's side ------------------------------------------------------------------

_may_hand_over = False
serving: Server | None = None


def allow_hand_over() -> None:
    """Called by the `anthology` command itself (compiler/launch.py): only it may leave a server
    behind; a program calling the CLI as a library never forks."""
    global _may_hand_over
    _may_hand_over = True


def will_hand_over() -> bool:
    return serving is None and _may_hand_over and enabled()


def hand_over(collection_key: str, session: Session) -> None:
    """Fork a server that keeps `session`; the caller goes on to exit at once. The server listens
    only if no other answers on the socket already (two builds that end together start one)."""
    if not will_hand_over():
        return
    path = socket_path(create=True)
    if path is None:
        return
    import threading

    if threading.active_count() > 1:
        return  # a fork copies only this thread; another's locks could never be released
    sys.stdout.flush()
    sys.stderr.flush()
    if os.fork():
        return
    try:  # the server: never returns into the command that forked it
        _detach()
        listener = _listen(path)
        if listener is not None:
            Server(listener, path, {collection_key: session}).serve()
    finally:
        os._exit(0)


def _listen(path: str) -> socket.socket | None:
    if os.path.exists(path):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(path)
                return None  # another server answers there
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(path)  # left by a server that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(path)
        os.chmod(path, 0o600)
        listener.listen(8)
    except OSError:
        listener.close()
        return None  # another build started a server first
    return listener


def _detach() -> None:
    """No terminal, no inherited files: a pipe a caller reads to its end is not held open."""
    os.setsid()
    os.closerange(3, 1 << 16)
    _standard_streams_to_devnull()
    os.chdir("/")


def _standard_streams_to_devnull() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in _STANDARD_FDS:
        os.dup2(devnull, fd)
    os.close(devnull)


class Server:
    def __init__(self, listener: socket.socket, path: str, sessions: dict[str, Session]) -> None:
        self.listener, self.path, self.sessions = listener, path, sessions
        self.inode = os.stat(path).st_ino
        self.stopping = False
        self.interrupted = False

    def serve(self) -> None:
        global serving
        serving = self
        signal.signal(signal.SIGINT, self._interrupt)
        self.listener.settimeout(_idle_seconds())
        try:
            while not self.stopping:
                try:
                    conn, _ = self.listener.accept()
                except TimeoutError:
                    break
                with conn:
                    self._answer(conn)
        finally:
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == self.inode:  # not a newer server's socket
                    os.unlink(self.path)

    def session_for(self, collection_key: str) -> Session:
        from .session import Session

        session = self.sessions.pop(collection_key, None) or Session()
        self.sessions[collection_key] = session  # the most recently built last
        while len(self.sessions) > MOST_SESSIONS:
            del self.sessions[next(iter(self.sessions))]
        return session

    def _interrupt(self, signum: int, frame: Any) -> None:
        self.interrupted = True
        raise KeyboardInterrupt

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(10)  # for the request only: a client that sends nothing is dropped
        fds: list[int] = []
        try:
            if not self._same_user(conn):
                return
            data, fds = _receive(conn)
            request = json.loads(data.decode("utf-8"))
            if request.get("stop"):
                self.stopping = True
                conn.sendall(b'{"stopped": true}\n')
                return
            if len(fds) != len(_STANDARD_FDS):
                return
            conn.settimeout(None)
            conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
            given, fds = fds, []  # _run takes them over
            code = self._run(request, given)
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
        except (OSError, ValueError, KeyError):
            return
        finally:
            for fd in fds:
                os.close(fd)

    def _same_user(self, conn: socket.socket) -> bool:
        _pid, uid, _gid = peer(conn)
        return uid == os.geteuid()

    def _run(self, request: dict[str, Any], fds: list[int]) -> int:
        """The command, as if run where the client was: its folder, environment and streams."""
        for target, fd in zip(_STANDARD_FDS, fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        streams = sys.stdin, sys.stdout, sys.stderr
        sys.stdin, sys.stdout, sys.stderr = _text_streams(streams)
        os.environ.clear()
        os.environ.update(request["env"])
        os.umask(int(request["umask"]))
        try:
            os.chdir(request["cwd"])
            return self._command(request["argv"])
        except OSError as exc:
            print(f"anthology: build server: {exc}", file=sys.stderr)
            return 1
        finally:
            for stream in (sys.stdout, sys.stderr, sys.stdin):
                with contextlib.suppress(Exception):
                    stream.close()  # flushed; the descriptor stays (closefd=False)
            sys.stdin, sys.stdout, sys.stderr = streams
            _standard_streams_to_devnull()
            os.chdir("/")
            if self.interrupted:
                self.stopping = True  # what it kept may be half-changed: the next build starts afresh

    def _command(self, argv: list[str]) -> int:
        from .cli import main
        from .errors import InternalError

        try:
            main.main(args=argv, prog_name="anthology", standalone_mode=True)
        except SystemExit as exit:
            code = _exit_code(exit.code)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = InternalError.exit_code
        else:
            code = 0
        if code == InternalError.exit_code:
            self.stopping = True  # a bug: what the server keeps may be wrong, so the next build starts afresh
        return code


def _text_streams(former: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """New stdin, stdout and stderr over the client's descriptors, made as Python makes them at
    start-up. The former ones cannot simply be pointed there: a stream remembers whether its
    file could seek, and a pipe after a file fails with "Illegal seek"."""
    def opened(fd: int, mode: str, stream: Any, line_buffering: bool) -> Any:
        return open(fd, mode, buffering=1 if line_buffering else -1, closefd=False,
                    encoding=getattr(stream, "encoding", None) or "utf-8", errors=getattr(stream, "errors", None))

    return (opened(0, "r", former[0], False), opened(1, "w", former[1], os.isatty(1)),
            opened(2, "w", former[2], True))  # stderr is line-buffered, as Python makes it


def _receive(conn: socket.socket) -> tuple[bytes, list[int]]:
    """The request's bytes and descriptors; the descriptors are closed if the request is broken
    (held open, a caller's pipe would never reach its end)."""
    data, fds, _flags, _address = socket.recv_fds(conn, 1 << 16, len(_STANDARD_FDS))
    try:
        (size,) = struct.unpack("!I", data[:4])
        data = data[4:]
        while len(data) < size:
            more = conn.recv(size - len(data))
            if not more:
                raise ValueError("short request")
            data += more
    except (OSError, ValueError, struct.error):
        for fd in fds:
            os.close(fd)
        raise ValueError("broken request") from None
    return data, list(fds)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _idle_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get("ANTHOLOGY_SERVER_IDLE", IDLE_SECONDS)))
    except ValueError:
        return IDLE_SECONDS
