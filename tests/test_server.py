"""The build server: a build it takes is the build the command would have made by itself.

Each test runs `python -m compiler` as an editor would, with the server turned on and its socket
in a folder of the test's own. Whether a command was served is read from Python's import log:
a served command never imports the CLI (compiler.cli); one that builds by itself does.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_fixtures import write_flat

from compiler.errors import BuildInterrupted, ManifestError
from compiler.server import answering_pid

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1700000000"
BOOK = "small-book"


class Editor:
    """Runs `anthology` commands in a collection folder with a server folder of its own."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.run_dir = root / "run"
        self.run_dir.mkdir(mode=0o700)
        self.manifest = write_flat(root / "book", "", articles=3)
        self.env = {**os.environ, "ANTHOLOGY_SERVER": "on", "XDG_RUNTIME_DIR": str(self.run_dir),
                    "ANTHOLOGY_SERVER_IDLE": "120", "SOURCE_DATE_EPOCH": EPOCH}

    def anthology(self, *args: str, env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-X", "importtime", "-m", "compiler", *args],
                              cwd=cwd or self.root / "book", env={**self.env, **(env or {})}, capture_output=True,
                              text=True, timeout=180)

    def build(self, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.anthology("build", "collection.yaml", "-o", "out", "-f", "epub", *extra, env=env)

    def wait_for_server(self) -> None:
        """The server a build leaves listens a moment after the build's own process has ended."""
        wait_until(lambda: self._answers(), "a server answers")

    def _answers(self) -> bool:
        return any(answering_pid(str(path)) is not None for path in self.sockets())

    def sockets(self) -> list[Path]:
        folder = self.run_dir / "anthology"
        return sorted(folder.glob("server-*.sock")) if folder.is_dir() else []

    def server_pid(self) -> int:
        """The pid of the process answering on the socket, as the kernel tells it."""
        (path,) = self.sockets()
        pid = answering_pid(str(path))
        assert pid is not None, "no server answers"
        return pid

    def fresh_epub(self, epoch: str = EPOCH) -> bytes:
        return self.fresh(("epub",), epoch)["epub"]

    def fresh(self, formats: tuple[str, ...], epoch: str = EPOCH) -> dict[str, bytes]:
        """The same book built with no cache and no server, elsewhere: each format's bytes."""
        out = self.root / f"fresh-{epoch}"
        shutil.rmtree(out, ignore_errors=True)
        options = [option for fmt in formats for option in ("-f", fmt)]
        result = self.anthology("build", "collection.yaml", "-o", str(out), *options, "-q", "--no-cache",
                                "--no-server", env={"SOURCE_DATE_EPOCH": epoch})
        assert result.returncode == 0, result.stderr
        return {fmt: (out / f"{BOOK}.{fmt}").read_bytes() for fmt in formats}

    def edit_article(self, word: str) -> None:
        article = self.root / "book" / "a2.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace(" the ", f" the {word} ", 1), encoding="utf-8")


def served(result: subprocess.CompletedProcess[str]) -> bool:
    imports = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
               if line.startswith("import time:")]
    assert "compiler.server" in imports, "the import log is missing: was -X importtime passed?"
    return "compiler.cli" not in imports


def messages(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(line for line in result.stderr.splitlines() if not line.startswith("import time:"))


def wait_until(condition: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


@pytest.fixture
def editor() -> Iterator[Editor]:
    # A short folder of our own: a socket's path must stay under ~107 bytes.
    root = Path(tempfile.mkdtemp(prefix="srv-", dir="/tmp" if Path("/tmp").is_dir() else None))
    editor = Editor(root)
    yield editor
    for path in editor.sockets():  # no server outlives its test
        with contextlib.suppress(OSError):
            os.kill(editor.server_pid(), signal.SIGKILL)
        path.unlink(missing_ok=True)
    shutil.rmtree(root, ignore_errors=True)


def test_the_next_build_is_served_and_equals_a_fresh_build(editor: Editor) -> None:
    first = editor.build()
    assert first.returncode == 0, first.stderr
    assert not served(first), "the first build has no server to ask"
    editor.wait_for_server()
    assert len(editor.sockets()) == 1, "the first build leaves a server behind"

    editor.edit_article("quietly")
    second = editor.build("-f", "pdf", "-f", "html")  # the server's first PDF: its workers are its own forks
    assert second.returncode == 0, messages(second)
    assert served(second)
    assert "Built Small Book" in second.stdout, "the summary reaches the command's own output"
    out = editor.root / "book" / "out"  # -o out, relative to the folder the command ran in
    for fmt, data in editor.fresh(("epub", "pdf", "html")).items():
        assert (out / f"{BOOK}.{fmt}").read_bytes() == data, fmt

    # The environment is the command's: another SOURCE_DATE_EPOCH dates the colophon afresh.
    editor.edit_article("slowly")
    third = editor.build("-q", env={"SOURCE_DATE_EPOCH": "1600000000"})
    assert third.returncode == 0 and served(third), messages(third)
    assert third.stdout == "", "-q is the command's own"
    assert (out / f"{BOOK}.epub").read_bytes() == editor.fresh_epub("1600000000")

    # From another folder (`python -m` puts it on the import path): the same server, that folder's paths.
    elsewhere = editor.anthology("build", "book/collection.yaml", "-o", "elsewhere", "-q", cwd=editor.root)
    assert elsewhere.returncode == 0 and served(elsewhere), messages(elsewhere)
    assert (editor.root / "elsewhere" / f"{BOOK}.epub").read_bytes() == editor.fresh_epub()


def test_a_failed_build_is_reported_as_the_command_would(editor: Editor) -> None:
    # The server's own first streams can seek (a file, /dev/null); those of the commands it
    # serves next are pipes, which cannot.
    with (editor.root / "first.log").open("wb") as log:
        first = subprocess.run([sys.executable, "-m", "compiler", "build", "collection.yaml", "-o", "out", "-q"],
                               cwd=editor.root / "book", env=editor.env, stdout=subprocess.DEVNULL, stderr=log,
                               timeout=180)
    assert first.returncode == 0
    editor.wait_for_server()
    fine = editor.build()
    assert fine.returncode == 0 and served(fine), messages(fine)

    (editor.root / "book" / "a3.md").unlink()

    through_server = editor.build()
    by_itself = editor.build("--no-server")
    assert served(through_server) and not served(by_itself)
    assert through_server.returncode == by_itself.returncode == ManifestError.exit_code
    assert messages(through_server) == messages(by_itself)
    assert "a3.md" in messages(through_server)

    missing = editor.anthology("build", "nowhere.yaml")
    assert served(missing) and missing.returncode == ManifestError.exit_code
    assert "nowhere.yaml: collection file not found" in messages(missing)


TOLD_NOT_TO = [(("--no-server",), {}), (("--no-cache",), {}), ((), {"ANTHOLOGY_SERVER": "off"})]


@pytest.mark.parametrize(("extra", "env"), TOLD_NOT_TO, ids=["--no-server", "--no-cache", "ANTHOLOGY_SERVER=off"])
def test_a_build_told_not_to_leaves_no_server(editor: Editor, extra: tuple[str, ...], env: dict[str, str]) -> None:
    result = editor.build(*extra, env=env)
    assert result.returncode == 0, result.stderr
    assert editor.sockets() == []


def test_a_running_server_is_not_asked_when_told_not_to(editor: Editor) -> None:
    assert editor.build().returncode == 0
    editor.wait_for_server()
    for extra, env in TOLD_NOT_TO:
        result = editor.build(*extra, env=env)
        assert result.returncode == 0 and not served(result), (extra, env)


def test_clean_stops_the_server(editor: Editor) -> None:
    assert editor.build().returncode == 0
    editor.wait_for_server()
    pid = editor.server_pid()
    told_off = editor.anthology("clean", "collection.yaml", env={"ANTHOLOGY_SERVER": "off"})
    assert told_off.returncode == 0 and "build server" not in told_off.stdout
    assert editor.server_pid() == pid, "with the server turned off, clean leaves servers alone"

    cleaned = editor.anthology("clean", "collection.yaml")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "stopped 1 build server" in cleaned.stdout
    wait_until(lambda: editor.sockets() == [], "the server removed its socket")
    wait_until(lambda: not Path(f"/proc/{pid}").exists() or "Z" in _state(pid), "the server ended")
    assert not served(editor.build())


def test_an_idle_server_stops_by_itself(editor: Editor) -> None:
    assert editor.build(env={"ANTHOLOGY_SERVER_IDLE": "0.5"}).returncode == 0
    wait_until(lambda: editor.sockets() != [], "the server made its socket")
    wait_until(lambda: editor.sockets() == [], "the idle server removed its socket", seconds=20)


def test_a_killed_server_is_replaced(editor: Editor) -> None:
    assert editor.build().returncode == 0
    editor.wait_for_server()
    old = editor.server_pid()
    os.kill(old, signal.SIGKILL)
    wait_until(lambda: not Path(f"/proc/{old}").exists() or "Z" in _state(old), "the server died")
    assert len(editor.sockets()) == 1, "a killed server leaves its socket"

    after = editor.build()
    assert after.returncode == 0 and not served(after), messages(after)
    editor.wait_for_server()
    assert editor.server_pid() != old
    assert served(editor.build())


def test_ctrl_c_interrupts_the_served_build_and_stops_the_server(editor: Editor) -> None:
    bigger = write_flat(editor.root / "big", "", articles=12)
    assert editor.anthology("build", str(bigger), "-o", "big-out", "-f", "epub", "-q").returncode == 0
    editor.wait_for_server()
    pid = editor.server_pid()
    (editor.root / "big" / "a1.md").write_text("# Changed\n\nBy Someone\n\nNew text.\n", encoding="utf-8")

    log = editor.root / "client.log"
    client = subprocess.Popen([sys.executable, "-m", "compiler", "build", str(bigger), "-o", "big-out", "-f", "pdf",
                               "-q"], cwd=editor.root / "book", env=editor.env, stdout=log.open("wb"),
                              stderr=subprocess.STDOUT)
    out = editor.root / "book" / "big-out"
    try:
        wait_until(lambda: list(out.glob(".small-book.pdf.*.part")) or client.poll() is not None,
                   "the served build started writing the PDF", seconds=120)
        assert client.poll() is None, log.read_text()
        client.send_signal(signal.SIGINT)
        client.wait(timeout=120)
    finally:
        if client.poll() is None:
            client.kill()
    assert client.returncode == BuildInterrupted.exit_code, log.read_text()
    assert "error: interrupted" in log.read_text()
    assert not (out / "small-book.pdf").exists()
    wait_until(lambda: not list(out.glob("*.part")), "the server removed its temporary file")
    wait_until(lambda: editor.sockets() == [], "an interrupted server stops")
    wait_until(lambda: not Path(f"/proc/{pid}").exists() or "Z" in _state(pid), "the server ended")


def test_a_broken_request_is_dropped_and_its_streams_let_go(editor: Editor) -> None:
    assert editor.build().returncode == 0
    editor.wait_for_server()
    (path,) = editor.sockets()
    read_end, write_end = os.pipe()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        socket.send_fds(conn, [b"\x00\x00\x00\x40{"], [write_end, write_end, write_end])  # 64 bytes promised
        conn.shutdown(socket.SHUT_WR)
        assert conn.recv(100) == b"", "no answer to a broken request"
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], 10)  # the pipe ends only when no process holds it
    assert ready and os.read(read_end, 10) == b"", "the server closed the streams it was handed"
    os.close(read_end)
    assert served(editor.build()), "and it goes on serving"


def test_a_folder_others_may_enter_is_not_used(editor: Editor) -> None:
    editor.run_dir.chmod(0o755)
    (editor.run_dir / "anthology").mkdir(mode=0o755)
    (editor.run_dir / "anthology").chmod(0o755)  # mkdir's mode is cut by the umask
    result = editor.build()
    assert result.returncode == 0, result.stderr
    assert editor.sockets() == []


def test_a_program_calling_the_cli_never_leaves_a_server(editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the `anthology` command itself forks: a program running the CLI in its own process
    (as CliRunner does) is not split in two behind its back."""
    from click.testing import CliRunner

    from compiler.cli import main

    monkeypatch.setenv("ANTHOLOGY_SERVER", "on")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(editor.run_dir))
    monkeypatch.chdir(editor.root / "book")
    result = CliRunner().invoke(main, ["build", "collection.yaml", "-o", "out", "-q"])
    assert result.exit_code == 0, result.output
    assert (editor.root / "book" / "out" / f"{BOOK}.epub").is_file()
    assert editor.sockets() == []


def test_the_socket_name_changes_with_the_code(tmp_path: Path) -> None:
    """An edited or upgraded anthology never asks a server still running the old code."""
    shutil.copytree(REPO / "compiler", tmp_path / "compiler", ignore=shutil.ignore_patterns("__pycache__"))
    ask = [sys.executable, "-c", "from compiler.server import code_digest; print(code_digest())"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    def digest() -> str:
        return subprocess.run(ask, cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout

    before = digest()
    assert digest() == before
    edited = tmp_path / "compiler" / "builders" / "epub.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert digest() != before


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"
