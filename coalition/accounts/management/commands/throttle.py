"""`coalition throttle show|clear [--account EMAIL] [--client ADDRESS]`: the sign-in and e-mail
limits (docs/accounts.md, "Limits on sign-in and e-mails").

`show` lists what is counted against an account's e-mail address and/or a client address;
`clear` lifts those limits at once (a locked-out person can sign in again). The client address is
written as the platform sees it: an IPv4 address, or an IPv6 /64 network such as 2001:db8::/64.
"""

import math

from django.core.management.base import BaseCommand, CommandError

from coalition.accounts.throttle import throttle_clear, throttle_state
from coalition.common.actors import SYSTEM


class Command(BaseCommand):
    help = "Show or lift the sign-in lock and e-mail limits of an account's address or a client address."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "clear"])
        parser.add_argument("--account", default="", help="The account's e-mail address.")
        parser.add_argument("--client", default="", help="The client address (IPv4, or an IPv6 /64 network).")

    def handle(self, *args, action, account, client, **options):
        if not account and not client:
            raise CommandError("Give --account EMAIL, --client ADDRESS, or both.")
        if action == "clear":
            throttle_clear(actor=SYSTEM, account=account or None, client=client or None)
            self.stdout.write(f"Lifted the limits on {' and '.join(filter(None, [account, client]))}.")
            return
        for name, counted, allowed, seconds in throttle_state(account=account or None, client=client or None):
            allowed_text = "no limit" if allowed <= 0 else f"{counted} of {allowed}"
            locked = f", refused for {math.ceil(seconds / 60)} more minute(s)" if seconds > 0 else ""
            self.stdout.write(f"{name:16} {allowed_text}{locked}")
