"""The ``accord`` console script: every management command, with dashed names accepted.

``accord load-reference`` runs the ``load_reference`` command, ``accord serve`` the
production server, ``accord migrate`` Django's own.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["accord", *args])


if __name__ == "__main__":
    main()
