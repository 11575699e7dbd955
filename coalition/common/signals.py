"""Signals that lower layers send for higher ones to act on, without importing them."""

from django.dispatch import Signal

# Sent by code that writes rows the public figures read without going through the ORM's
# per-object saves (bulk loaders of reference tables and memberships, demo loads and resets).
# Argument `since`: the first day whose figures may have changed, or None for every day.
registry_changed = Signal()

# Sent by the reference app after exchange rates were written (a rates load, an edit or a deletion
# through `reference.services`), inside the transaction that wrote them. The apps that store money
# converted to US dollars recompute their values awaiting a rate or converted at a provisional one.
# Argument `actor`: who changed the rates (None for an unattended load).
rates_changed = Signal()

# Sent by the reference app to ask which money values await an exchange rate (the `reference load`
# command names them). Each receiver returns {(currency code, year): number of values}.
rates_wanted = Signal()

# Sent by the background worker each time it reaps lost work (when it starts, after a database
# outage, and every COALITION_WORKER_REAP_EVERY_SECONDS), after it failed the tasks that lost
# their worker. Each app fails the builds whose task ended, or vanished, without finishing them
# (`common.tasks.rows_whose_task_ended`). Receivers return how many they failed.
tasks_reaped = Signal()
