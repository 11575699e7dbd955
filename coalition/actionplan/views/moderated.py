"""What the pages of activities, participations and national measures share: the as-of date, a
workflow move posted from a page, and links to the plan's action pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def render_as_of(request, template: str, context: dict, error: str | None):
    return render(request, template, {**context, "as_of_error": error, "today": timezone.localdate()},
                  status=400 if error else 200)


def move_posted(request, move, workflow, **subject) -> bool:
    """Take the workflow action posted (`action`, `comment`) through the service `move`; tell the
    person what happened. Returns whether the move was made."""
    action, comment = request.POST.get("action", ""), request.POST.get("comment", "")
    try:
        move(actor=request.user, action=action, comment=comment, **subject)
    except ValidationError as error:
        # The services' messages are whole sentences; each says what to do.
        for line in error.messages:
            messages.error(request, line)
        return False
    messages.success(request, _("Done: %(action)s.") % {"action": workflow.label(action).lower()})
    return True


def action_links(actions) -> list[tuple]:
    """(action, URL of its page or None) for each of `actions` (loaded with their plan)."""
    links = []
    for action in actions:
        try:
            url = reverse("actionplan:action", args=[action.plan.slug, action.code])
        except NoReverseMatch:
            url = None
        links.append((action, url))
    return links
