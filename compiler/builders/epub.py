"""EPUB builder: written by the EPUB work."""
