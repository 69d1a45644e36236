"""antq inspections warn: notify the delegations of inspections whose statutory time limit is
within a week or past without a conclusion (run daily, next to `antq remind`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from antq.inspections.services import time_limit_warnings


class Command(BaseCommand):
    help = "Warn delegations of inspections nearing or past their time limit."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["warn"])

    def handle(self, *args, **options):
        n = time_limit_warnings()
        self.stdout.write(f"Đã gửi {n} thông báo về thời hạn kiểm tra.")
