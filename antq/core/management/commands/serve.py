"""antq serve: the production server (gunicorn, threaded workers; WhiteNoise serves static)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def serve(*, host: str, port: int, workers: int, threads: int, stdout) -> None:
    from gunicorn.app.base import BaseApplication

    from antq.core.logs import gunicorn_logger
    from antq.wsgi import application

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        call_command("collectstatic", interactive=False, verbosity=0)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}" if ":" not in host else f"[{host}]:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("accesslog", "-")
            self.cfg.set("access_log_format", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms')
            # No access line for the tip line (antq.core.logs); no address in any line.
            self.cfg.set("logger_class", gunicorn_logger())
            self.cfg.set("proc_name", "antq")

        def load(self):
            return application

    stdout.write(f"antq đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng)")
    Server().run()


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
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            stdout=self.stdout,
        )
