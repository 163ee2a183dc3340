"""Create a staff account: a recovery guide (with --curator, also a curator), or with
--curator-only a curator who never sees caller records."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guides.roles import CURATORS, GUIDES


class Command(BaseCommand):
    help = (
        "Create a recovery guide's account. Prompts for the password, or reads it from the "
        "environment variable named by --password-from-env."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="Read the password from this environment variable instead of prompting.",
        )
        parser.add_argument(
            "--curator",
            action="store_true",
            help="Also a curator: may sign in to the admin, keep listings and read the audit log.",
        )
        parser.add_argument(
            "--curator-only",
            action="store_true",
            help="A curator who is not a guide: the admin only, never caller records.",
        )

    def handle(self, *args, username, email, password_from_env, curator, curator_only, **options):
        if curator and curator_only:
            raise CommandError("Choose --curator or --curator-only, not both.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = self._password(password_from_env)
        user = User(username=username, email=email, is_staff=curator or curator_only)
        try:
            validate_password(password, user)
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if not curator_only:
                user.groups.add(Group.objects.get(name=GUIDES))
            if curator or curator_only:
                user.groups.add(Group.objects.get(name=CURATORS))
        roles = "curator" if curator_only else "guide and curator" if curator else "guide"
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({roles})."))

    def _password(self, variable):
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or not set.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password
