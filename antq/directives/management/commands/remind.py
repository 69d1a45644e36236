"""antq remind: chase tasks due soon and overdue (cron or systemd-timer friendly).

Leaves an in-app notice and sends an email to the officials of each assignee body. Running it
again the same day sends nothing new; an overdue task is chased again each week.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from antq.core.services import notify
from antq.core.vnformat import parse_date
from antq.directives.selectors import body_members_to_notify, due_soon_and_overdue


class Command(BaseCommand):
    help = "Notify the bodies whose tasks are due within N days or overdue; print a summary."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="how far ahead to look (default 7)")
        parser.add_argument("--today", help="judge as of this date (default: today)")

    def handle(self, *args, **options):
        if options["days"] < 0 or options["days"] > 365:
            raise CommandError("--days phải từ 0 đến 365.")
        try:
            today = parse_date(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        soon, late = due_soon_and_overdue(today=today, days=options["days"])
        members = body_members_to_notify([v.assignment.body_id for v in soon + late])
        notices = emails = 0
        outbox: list[tuple[str, str, str]] = []
        week = today.isocalendar()
        with transaction.atomic():
            for kind, views in (("due_soon", soon), ("overdue", late)):
                for v in views:
                    a = v.assignment
                    due = v.judgement.due_on.strftime("%d/%m/%Y") if v.judgement.due_on else ""
                    if kind == "due_soon":
                        title = f"Sắp đến hạn {due}: {a.task.title}"
                        key = f"remind:soon:{a.pk}:{v.judgement.due_on}"
                    else:
                        title = f"Quá hạn từ {due}: {a.task.title}"
                        key = f"remind:late:{a.pk}:{week.year}-{week.week}"
                    body = f"{a.body.name} — {a.task.plan}: {a.task.title}"
                    url = reverse("directives:assignment", kwargs={"pk": a.pk})
                    for user in members.get(a.body_id, []):
                        if notify(
                            user=user, kind=kind, title=title, body=body, url=url, dedupe_key=key
                        ):
                            notices += 1
                            if user.email:
                                outbox.append((title, f"{body}\n\n{url}", user.email))
        for subject, text, address in outbox:
            send_mail(
                subject[:200], text, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False
            )
            emails += 1
        self.stdout.write(
            f"Ngày {today:%d/%m/%Y}: {len(soon)} nhiệm vụ sắp đến hạn (trong {options['days']} ngày), "
            f"{len(late)} nhiệm vụ quá hạn; {notices} thông báo mới, {emails} thư điện tử."
        )
