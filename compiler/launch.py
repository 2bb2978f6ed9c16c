"""The `anthology` command: handed to a running build server when there is one, else run here.

Only light standard modules are imported before the hand-over (see compiler/server.py): a build
the server takes costs this process about what starting Python costs.
"""

from __future__ import annotations

import sys

from . import server


def run() -> None:
    argv = sys.argv[1:]
    code = server.forward(argv)
    if code is not None:
        sys.exit(code)
    server.allow_hand_over()
    from .cli import main

    main(args=argv, prog_name="anthology")
