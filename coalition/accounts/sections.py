"""Sections other apps add to a person's "My account" page and cards they add to the
secretariat's home: accounts sit below the apps that know what a person acts for, has pledged
or must review, so those register themselves (`common.sections`). Each section takes `user`.
"""

from coalition.common.sections import Sections

account_sections = Sections("the account page")
work_cards = Sections("the secretariat's home")


def api_tokens_section(*, user, **page) -> tuple[str, dict] | None:
    """The account page's list of the person's API tokens, each with its Revoke button; tokens
    are created on the tokens page, which shows the secret once."""
    from coalition.accounts.selectors import api_tokens_of

    if not getattr(user, "is_authenticated", False):
        return None
    return "accounts/_api_tokens_section.html", {"tokens": list(api_tokens_of(user=user))}
