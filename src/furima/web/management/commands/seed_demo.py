"""`furima seed_demo`: create the demo users, items and trades (once) and print the logins."""

from django.core.management.base import BaseCommand

from furima.web.seed import already_seeded, seed_demo


class Command(BaseCommand):
    help = "Create demo users, listings and trades in every state (idempotent)."

    def handle(self, *args, **options) -> None:
        fresh = not already_seeded()
        users = seed_demo()
        self.stdout.write("demo data created" if fresh else "demo data already present")
        self.stdout.write("log in as (username / password):")
        for user in users:
            self.stdout.write(f"  {user.username:<8} / {user.password:<20} {user.role}")
