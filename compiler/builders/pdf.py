"""PDF builder: written by the PDF work."""
