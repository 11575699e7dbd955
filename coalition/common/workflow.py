"""One transition engine for every workflow object: pledges, revisions of published pledges,
progress reports, and the action-plan and good-practice objects to come.

A workflow is a table. Each transition names an action, the states it may start from, the state
it leads to, the role that may take it and whether a comment is required; beside it, the states
in which each role may edit the object. Roles are named by the workflow and decided by a function
of (user, object), so the engine knows nothing of entities or reviewers.

`Workflow.move` is the one place a status changes: it checks that the action exists, that the
actor holds its role, that the object is in a state the action starts from and that a required
comment is given; lets the caller check and write what the action implies (`effects`); then sets
the status, saves the object with its dated version (who, when, and the action as the reason)
and records the decision in the object's transition log; then the workflow's `notify` tells
the people concerned (inside the same transaction, so a refused move tells nobody). Views, the
admin and the API ask `actions_for` and `may_edit` which actions and edits to offer; they never
decide themselves.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.common.text import TEXT_LIMIT, text_clean, too_long
from coalition.common.versions import save_with_version


@dataclass(frozen=True)
class Role:
    """Who may take a transition: `holds(user, obj)`, and what to tell someone who does not."""

    holds: Callable[[Any, Any], bool]
    refusal: Callable[[Any], str]


@dataclass(frozen=True)
class Texts:
    """What a workflow tells people, each a whole sentence naming its object, so that every
    language can translate it (articles and agreement depend on the noun)."""

    wrong_state: str  # with %(action)s and %(status)s
    not_editable: str  # with %(status)s
    may_not_edit: str
    comment_needed: str


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    role: str
    comment_required: bool = False


class Workflow:
    """The states, transitions, roles and editable states of one kind of object.

    `actions` is the TextChoices of its actions (their labels are what people read), `log` the
    model recording each decision, with a foreign key named `subject` to the object, and fields
    action, from_status, to_status, actor, at and comment; `texts` what it tells people;
    `notify(obj, transition, actor, comment)` whom each move is told to.
    """

    def __init__(
        self, *, actions: type[models.TextChoices], transitions: Iterable[Transition], roles: Mapping[str, Role],
        editable: Mapping[str, frozenset[str]], log: type[models.Model], subject: str, texts: Texts,
        notify: Callable[..., Any] | None = None,
    ):
        self.notify = notify
        self.actions = actions
        self.transitions = {transition.action: transition for transition in transitions}
        self.roles = roles
        self.editable = editable
        self.log, self.subject, self.texts = log, subject, texts
        unknown = {t.role for t in self.transitions.values()} | set(editable)
        if unknown - set(roles):
            raise ValueError(f"roles without a definition: {sorted(unknown - set(roles))}")

    def transition(self, action: str) -> Transition:
        """The transition of `action`; a ValidationError on `action` for one the table lacks."""
        try:
            return self.transitions[action]
        except KeyError:
            raise ValidationError({"action": _("Unknown action “%(action)s”.") % {"action": action}}) from None

    def label(self, action: str) -> str:
        return str(self.actions(action).label)

    def _holds(self, role: str, user, obj) -> bool:
        return bool(user is not None and getattr(user, "is_active", False) and self.roles[role].holds(user, obj))

    def actions_for(self, obj, user) -> list[Transition]:
        """The transitions `user` may take on `obj` now, in the table's order."""
        return [t for t in self.transitions.values() if obj.status in t.sources and self._holds(t.role, user, obj)]

    def may_take(self, obj, user, action: str) -> bool:
        """Whether `user` may take `action` on `obj` now."""
        return any(t.action == action for t in self.actions_for(obj, user))

    def choices_for(self, obj, user) -> list[models.TextChoices]:
        """The actions `user` may take on `obj` now, as members of `actions` (value and label)."""
        return [self.actions(t.action) for t in self.actions_for(obj, user)]

    def may_edit(self, obj, user) -> bool:
        """Whether `user` may change `obj`'s content in its current state."""
        return any(obj.status in states and self._holds(role, user, obj) for role, states in self.editable.items())

    def check_edit(self, obj, user) -> None:
        """PermissionDenied for someone who may never edit `obj`; ValidationError on `status`
        when `obj`'s state allows no edit by them."""
        if not any(self._holds(role, user, obj) for role in self.editable):
            raise PermissionDenied(str(self.texts.may_not_edit))
        if not self.may_edit(obj, user):
            raise ValidationError({"status": str(self.texts.not_editable) % {
                "status": obj.get_status_display().lower()}})

    def check(self, obj, user, action: str, comment: str = "") -> Transition:
        """The transition `user` asks for on `obj`, or the error saying why it is refused:
        PermissionDenied without the role, ValidationError (on `action` or `comment`) otherwise."""
        transition = self.transition(action)
        if not self._holds(transition.role, user, obj):
            raise PermissionDenied(self.roles[transition.role].refusal(obj))
        if obj.status not in transition.sources:
            raise ValidationError({"action": str(self.texts.wrong_state) % {
                "action": self.label(action).lower(), "status": obj.get_status_display().lower()}})
        if transition.comment_required and not text_clean(comment):
            raise ValidationError({"comment": str(self.texts.comment_needed)})
        if message := too_long(text_clean(comment), limit=TEXT_LIMIT, label=_("comment")):
            raise ValidationError({"comment": message})
        return transition

    def move(
        self, obj, *, actor, action: str, comment: str = "", at: datetime.datetime | None = None,
        effects: Callable[[Any, Transition, datetime.datetime], None] | None = None,
        log_extra: Mapping[str, Any] | None = None,
    ):
        """Take `action` on `obj` (locked by the caller, inside its transaction) and return it.

        `effects(obj, transition, moment)` runs after the checks and before the status changes:
        it may refuse with a ValidationError or set the fields the action implies (dates, who
        decided). The object is saved once, writing one dated version with the action as its
        reason, one row is added to the transition log (with `log_extra` fields), and `notify`
        tells the people concerned.
        """
        comment = text_clean(comment)
        transition = self.check(obj, actor, action, comment)
        moment = at or timezone.now()
        if effects is not None:
            effects(obj, transition, moment)
        previous = obj.status
        obj.status = transition.target
        save_with_version(obj, actor=actor, reason=action, at=moment)
        self.log.objects.create(**{
            self.subject: obj, "action": action, "from_status": previous, "to_status": transition.target,
            "actor": actor, "at": moment, "comment": comment, **(log_extra or {}),
        })
        if self.notify is not None:
            self.notify(obj, transition, actor=actor, comment=comment)
        return obj
