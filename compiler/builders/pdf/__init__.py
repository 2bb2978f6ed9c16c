"""The PDF: laid out by WeasyPrint in one render or in pieces on every core, then put together."""
