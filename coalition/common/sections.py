"""Parts of a page that apps higher up add to it.

A page of a lower app (the account page, the secretariat's home, an action's page, a progress
report) does not import the apps that build on it. Each of those registers a section in its
`AppConfig.ready()`: a function taking the page's keyword arguments (the user, the object shown,
the as-of date) and returning the template to include and its context, or None to show nothing.
"""

from collections.abc import Callable

Section = Callable[..., tuple[str, dict] | None]


class Sections:
    """The sections registered for one place on one page, in the order they were registered."""

    def __init__(self, place: str):
        self.place = place
        self._sections: list[Section] = []

    def register(self, section: Section) -> Section:
        """Add `section` (once, whatever the number of calls)."""
        if section not in self._sections:
            self._sections.append(section)
        return section

    def render(self, **page) -> list[tuple[str, dict]]:
        """(template, context) of every section with something to show on this page."""
        return [found for section in self._sections if (found := section(**page)) is not None]
