"""anthology: compile saved web articles into clean, credited EPUB and PDF books."""

__version__ = "0.1.0"
TOOL_NAME = "anthology"
