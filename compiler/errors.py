"""Typed errors, each carrying the exit code the CLI returns for it.

Every message is one line naming the file, the place in it and what is wrong, so the CLI
can print it as it is.
"""

from __future__ import annotations


class AnthologyError(Exception):
    exit_code = 1

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class StrictWarningsError(AnthologyError):
    """`--strict` was given and the build produced warnings."""

    exit_code = 3


class ManifestError(AnthologyError):
    """The collection file is missing, is not YAML, or does not fit the schema."""

    exit_code = 4


class InputError(AnthologyError):
    """An article file cannot be read or holds nothing usable."""

    exit_code = 5


class RulePackError(AnthologyError):
    """A rule pack is malformed."""

    exit_code = 6


class BuildError(AnthologyError):
    """An output could not be produced or written."""

    exit_code = 7


class RightsError(AnthologyError):
    """A public collection holds articles with neither a licence nor a permission note."""

    exit_code = 8


class EpubCheckError(AnthologyError):
    """EPUBCheck found errors in the EPUB that `check` built."""

    exit_code = 9


class InitError(AnthologyError):
    """`init` would overwrite an existing collection, or cannot write the folder."""

    exit_code = 10


class InternalError(AnthologyError):
    """A bug: an exception the tool did not expect. The CLI shows its traceback only with -v."""

    exit_code = 70  # EX_SOFTWARE in sysexits.h


class BuildInterrupted(AnthologyError):
    """The build was interrupted (Ctrl-C); no earlier output was replaced."""

    exit_code = 130  # the shell's code for a process ended by SIGINT
