"""Demo data: a realistic, clearly flagged registry of entities and pledges with their full history.

`generate.demo_generate` writes it fast enough for a million pledges (bulk rows, no ORM per
object); `reset.demo_reset` removes it; `accounts.demo_accounts_ensure` provides accounts to
explore it with. The `coalition demo` command drives them.
"""
