"""antq serve: the production server (gunicorn, threaded workers; WhiteNoise serves static)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from antq.core.metrics import MULTIPROC_ENV

log = logging.getLogger("antq.serve")


def metrics_dir() -> tuple[Path, bool]:
    """Where the workers write their counts for /metrics (prometheus_client's multiprocess
    mode): PROMETHEUS_MULTIPROC_DIR, emptied of an earlier run's files, or a new temporary
    directory removed at exit. Returns it and whether it is ours to remove."""
    given = os.environ.get(MULTIPROC_ENV, "").strip()
    if given:
        path = Path(given)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in path.glob("*.db"):  # counts of a server that is no longer running
            old.unlink()
        return path, False
    path = Path(tempfile.mkdtemp(prefix="antq-metrics-"))
    os.environ[MULTIPROC_ENV] = str(path)
    return path, True


def serve(*, host: str, port: int, workers: int, threads: int, stdout) -> None:
    if "prometheus_client" in sys.modules and not os.environ.get(MULTIPROC_ENV):
        raise CommandError("prometheus_client was loaded before its directory was set")
    counts_dir, ours = metrics_dir()  # before the application (and prometheus_client) loads

    from gunicorn.app.base import BaseApplication

    from antq.core.logs import gunicorn_logger
    from antq.wsgi import application

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        call_command("collectstatic", interactive=False, verbosity=0)

    def child_exit(server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}" if ":" not in host else f"[{host}]:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            self.cfg.set("graceful_timeout", 20)
            # antq writes one line per request itself (antq.core.middleware: with its id,
            # route, user, never an address); gunicorn's own lines take antq's format.
            self.cfg.set("accesslog", None)
            self.cfg.set("logger_class", gunicorn_logger())
            self.cfg.set("child_exit", child_exit)
            self.cfg.set("proc_name", "antq")
            if "control_socket_disable" in self.cfg.settings:
                # gunicorn ≥ 25 would open a control socket in $HOME (read-only under systemd).
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return application

    message = f"antq đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng)"
    if settings.ANTQ_LOG_FORMAT == "json":
        log.info(message)
    else:
        stdout.write(message)
    master = os.getpid()
    try:
        Server().run()
    finally:
        # A worker leaves through here too (gunicorn forks inside run()): only the master,
        # once every worker has stopped, removes the directory.
        if ours and os.getpid() == master:
            shutil.rmtree(counts_dir, ignore_errors=True)


class Command(BaseCommand):
    help = "Serve antq with a production-grade server (not Django's runserver)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ANTQ_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ANTQ_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            stdout=self.stdout,
        )
