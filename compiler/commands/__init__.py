"""The commands beyond `build`: init, check, normalise, watch, and what the console shows."""
