"""antq token create USERNAME: issue an API token (printed once, on the last line)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from antq.accounts.models import User
from antq.accounts.services import token_create


class Command(BaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"Không có người dùng '{options['username']}'.") from None
        if not user.is_active:
            raise CommandError(f"Tài khoản '{user.username}' đang bị vô hiệu hóa.")
        issued = token_create(user=user, name=options["name"])
        self.stdout.write(
            f"Mã API cho {user.username} (chỉ hiện một lần; dùng trong tiêu đề "
            f"'Authorization: Token …'):"
        )
        self.stdout.write(issued.key)
