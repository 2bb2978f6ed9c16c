"""anthology: compile saved web articles into clean, credited EPUB and PDF books."""

from .resources import TOOL_NAME, __version__

__all__ = ["TOOL_NAME", "__version__"]
