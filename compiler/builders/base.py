"""The builder interface shared by every output format (compiler/pipeline.py writes what they make, atomically)."""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from ..errors import BuildError

if TYPE_CHECKING:  # only named in annotations: the CLI reads the builders' table without loading the library
    from ..book.templating import Renderer
    from ..collection.loading import Collection


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


BuilderFactory = Callable[[], Builder]
