"""Sections other apps add to a person's "My account" page.

Accounts sit below the apps that know what a person acts for (entities) or has pledged, so the
page does not import them: each app registers a section in its `AppConfig.ready()`, a function
that takes the user and returns the template to include and its context, or None to show nothing.
"""

from collections.abc import Callable

Section = Callable[..., tuple[str, dict] | None]
_sections: list[Section] = []


def account_section_register(section: Section) -> Section:
    """Add `section` to the account page (once, whatever the number of calls)."""
    if section not in _sections:
        _sections.append(section)
    return section


def account_sections(*, user) -> list[tuple[str, dict]]:
    """(template, context) of every registered section that has something to show the user."""
    return [found for section in _sections if (found := section(user)) is not None]
