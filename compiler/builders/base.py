"""The builder interface shared by every output format, and the atomic writer they all use."""

from __future__ import annotations

import datetime as dt
import os
import signal
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..book.templating import Renderer
from ..collection.loading import Collection
from ..errors import BuildError


@dataclass
class BuildContext:
    """What every builder gets besides the collection."""

    renderer: Renderer
    build_date: dt.datetime  # from SOURCE_DATE_EPOCH when set, so builds are reproducible
    reproducible: bool  # True when SOURCE_DATE_EPOCH was set
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None  # a paged format's page count, when its builder reports it (the review report)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def build_date_from_env() -> tuple[dt.datetime, bool]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC), True
        except (ValueError, OverflowError, OSError):
            raise BuildError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0), False


class Builder(ABC):
    name: str  # the --format value
    suffix: str  # the output file's suffix, with the dot
    template_folder: str  # templates/<folder> overrides templates/base

    @abstractmethod
    def write(self, collection: Collection, stream: IO[bytes], context: BuildContext) -> None:
        """Write the whole output to an open binary stream (a temporary file)."""

    def build(self, collection: Collection, out_dir: Path, context: BuildContext) -> Path:
        target = out_dir / f"{collection.manifest.output_name}{self.suffix}"
        with atomic_output(target) as stream:
            self.write(collection, stream, context)
        return target


@contextmanager
def atomic_output(target: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside `target`, renamed over it only when writing finished.

    A failed or interrupted build leaves the previous file in place; the temporary file is
    removed on failure, and its name (`.<name>.*.part`) lets a later build sweep leftovers.
    """
    # Ctrl-C is held while the file is made and named: arriving in between, it would leave a
    # file nobody knows the name of. It is delivered at once after, inside the clean-up below.
    held = _hold_interrupts()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # closed by the `with handle` below; it must outlive this block to be renamed
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
        )
    except OSError as exc:
        _release_interrupts(held)
        raise BuildError(f"{target.parent}: cannot write the output folder: {exc.strerror or exc}") from None
    temp = Path(handle.name)
    try:
        _release_interrupts(held)
        with handle:
            yield handle
            _writing(target, lambda: (handle.flush(), os.fsync(handle.fileno())))
        _writing(target, lambda: (os.chmod(temp, 0o644), os.replace(temp, target)))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def _hold_interrupts() -> set[signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):  # not on POSIX: nothing to hold with
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)


def _release_interrupts(held: set[signal.Signals] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _writing(target: Path, step: Callable[[], object]) -> None:
    """Run a step of finishing the file; a full disk or a read-only folder is a BuildError."""
    try:
        step()
    except OSError as exc:
        raise BuildError(f"{target}: cannot write the output: {exc.strerror or exc}") from None


def sweep_partial_outputs(out_dir: Path, names: list[str]) -> None:
    """Remove temporary files a killed earlier build left behind."""
    for name in names:
        for leftover in out_dir.glob(f".{name}.*.part"):
            leftover.unlink(missing_ok=True)


BuilderFactory = Callable[[], Builder]
