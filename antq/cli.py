"""The `antq` command: Django's management commands plus antq's own (setup, demo, serve, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antq.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # `antq load-areas` runs load_areas
    from antq.core.envconf import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ConfigError as exc:
        sys.stderr.write(f"antq: cấu hình sai / bad configuration: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
