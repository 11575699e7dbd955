"""`coalition reminders send [--date YYYY-MM-DD] [--send]`: progress-report reminders.

A dry run by default (it lists what would be sent); `--send` queues the `send_report_reminders`
task, which the worker (`coalition worker`) runs. Schedule it daily from cron.
"""


from django.core.management.base import BaseCommand
from django.utils import timezone

from coalition.common.commands import command_date
from coalition.reporting.reminders import report_reminders_pending
from coalition.reporting.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Progress-report reminders for due and overdue pledges (dry run unless --send)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="List the reminders due today; with --send, queue them.")
        send.add_argument("--date", type=str, default=None, help="Send as of this day (YYYY-MM-DD); default today.")
        mode = send.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Only list what would be sent (the default).")
        mode.add_argument("--send", action="store_true", help="Queue the e-mails for the worker to send.")

    def handle(self, *args, action, date, send, **options):
        today = command_date(date, "--date") if date else timezone.localdate()
        pending = report_reminders_pending(today=today)
        for reminder in pending:
            self.stdout.write(
                f"{reminder.status:8} pledge {reminder.pledge.pk} ({reminder.pledge.title}) "
                f"since {reminder.clock_started} → {reminder.recipient.email}"
            )
        if not send:
            self.stdout.write(f"Dry run as of {today}: {len(pending)} reminder(s) would be sent. Use --send to send.")
            return
        result = send_report_reminders.enqueue(today=today.isoformat())
        self.stdout.write(f"Queued the reminders as of {today}: task {result.id} ({result.status}).")
