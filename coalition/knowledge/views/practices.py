"""The library's pages: the public library and a practice's page; sharing a practice (from
scratch or from an accepted progress report), editing it, its attachments, moving it through
review. Parse the request, call a selector or service, render.
"""

import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coalition.accounts.forms import form_errors_apply, form_save_versioned
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.workflow import AUTHOR
from coalition.common import asof
from coalition.common.versions import version_seen
from coalition.entities.permissions import user_can_act_for_entity
from coalition.knowledge import forms, selectors, services
from coalition.knowledge.models import Attachment, GoodPractice, SharedBy
from coalition.knowledge.permissions import sharers_for, user_is_practice_author, user_may_see_practice
from coalition.knowledge.validation import ATTACHMENT_TYPES
from coalition.knowledge.workflow import PRACTICE_WORKFLOW
from coalition.reporting.models import ProgressReport


def _visible(request, pk: int) -> GoodPractice:
    """The practice `pk` if the person may see it: published, or theirs, or they review; 404 otherwise
    (a draft's existence is nobody else's business)."""
    try:
        practice = selectors.practice_for_page(pk)
    except GoodPractice.DoesNotExist:
        raise Http404 from None
    if not user_may_see_practice(request.user, practice):
        raise Http404
    return practice


def _authored(request, pk: int) -> GoodPractice:
    """A practice the person authors or reviews (403 for someone who sees it but may not act on it)."""
    practice = _visible(request, pk)
    if not (user_is_practice_author(request.user, practice) or user_is_reviewer(request.user)):
        raise PermissionDenied
    return practice


@require_safe
def library(request):
    """The public library as of a date: a search box and filters, newest or best match first."""
    as_of, error = asof.as_of_asked(request)
    filters = selectors.library_filters_parse(request.GET)
    page = selectors.library_page(as_of=as_of, filters=filters, page_number=request.GET.get("page"))
    keep = [(name, value) for name, value in filters.params() if value]
    page_query = urlencode([*keep, *([("as_of", as_of.query_value)] if as_of.query_value else [])])
    return render(request, "knowledge/library.html", {
        "page": page, "filters": filters, "options": selectors.library_options(as_of), "as_of": as_of,
        "as_of_error": error, "today": timezone.localdate(), "keep": keep, "page_query": page_query,
        "shared_by_choices": SharedBy.choices, "may_share": bool(sharers_for(request.user)),
    }, status=400 if error else 200)


@require_safe
def practice_detail(request, pk: int):
    """A practice's page: public once published; before that, to its authors and the reviewers."""
    practice = _visible(request, pk)
    user = request.user
    author = user_is_practice_author(user, practice)
    involved = author or user_is_reviewer(user)
    return render(request, "knowledge/practice_detail.html", {
        "practice": practice, "involved": involved,
        "actions": [a for a in PRACTICE_WORKFLOW.choices_for(practice, user)
                    if PRACTICE_WORKFLOW.transition(a.value).role == AUTHOR] if author else [],
        "may_edit": PRACTICE_WORKFLOW.may_edit(practice, user),
        "decisions": selectors.practice_transitions(practice) if involved else [],
        "now": timezone.now(),
    })


@login_required
def practice_new(request):
    """Share a practice from scratch, as one of the sharers the person acts for."""
    sharers = sharers_for(request.user)
    if not sharers:
        return render(request, "knowledge/no_sharer.html", status=403)
    form = forms.NewPracticeForm(request.POST or None, sharers=sharers)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_create(actor=request.user, data={**form.cleaned_data, **form.sharer_data()})
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Draft saved. Nothing is public until you submit it and the secretariat "
                                        "publishes it."))
            return redirect("knowledge:practice", practice.pk)
    return render(request, "knowledge/practice_form.html", {"form": form, "practice": None})


@login_required
@require_POST
def practice_from_report(request, pk: int):
    """One click on an accepted report's page: a draft practice made from it, opened for editing."""
    report = get_object_or_404(ProgressReport.objects.select_related("pledge__lead_entity"), pk=pk)
    try:
        practice = services.practice_from_report(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if user_can_act_for_entity(request.user, report.pledge.lead_entity):
            return redirect("reporting:report_edit", report.pk)
        return redirect("explore:pledge", report.pledge_id)
    messages.success(request, _("A draft good practice was started from the report. Complete it, then submit it."))
    return redirect("knowledge:edit", practice.pk)


@login_required
def practice_edit(request, pk: int):
    practice = _authored(request, pk)
    try:
        PRACTICE_WORKFLOW.check_edit(practice, request.user)
    except ValidationError:
        messages.info(request, _("This practice is %(status)s and cannot be edited now.") % {
            "status": practice.get_status_display().lower()})
        return redirect("knowledge:practice", practice.pk)
    data = services.practice_data(practice)
    form = forms.PracticeForm(request.POST or None, initial=data)
    version = practice.version
    if request.method == "POST" and form.is_valid():
        saved, version = form_save_versioned(form, version=version, save=lambda: services.practice_update(
            actor=request.user, practice=practice, data=form.cleaned_data,
            seen_version=version_seen(request.POST.get("version"))))
        if saved:
            messages.success(request, _("Saved."))
            return redirect("knowledge:practice", practice.pk)
    return render(request, "knowledge/practice_form.html", {"form": form, "practice": practice, "version": version})


@login_required
@require_POST
def practice_move(request, pk: int):
    """Submit or withdraw (the authors), or a reviewer's decision, from a button; back to the page."""
    practice = _visible(request, pk)
    action = request.POST.get("action", "")
    try:
        services.practice_move(actor=request.user, practice=practice, action=action,
                               comment=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": PRACTICE_WORKFLOW.label(action).lower()})
    return redirect("knowledge:practice", practice.pk)


@login_required
def practice_attachments(request, pk: int):
    """A practice's attachments, with a form to add one while the practice may be edited."""
    practice = _authored(request, pk)
    editable = PRACTICE_WORKFLOW.may_edit(practice, request.user)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This practice is %(status)s: its attachments cannot change now.") % {
                "status": practice.get_status_display().lower()})
            return redirect("knowledge:attachments", practice.pk)
        if form.is_valid():
            try:
                services.attachment_add(actor=request.user, practice=practice, files=[form.cleaned_data])
            except ValidationError as error:
                form_errors_apply(form, ValidationError({
                    key.removeprefix("files[0]."): value for key, value in error.message_dict.items()}))
            else:
                messages.success(request, _("File attached."))
                return redirect("knowledge:attachments", practice.pk)
    return render(request, "knowledge/practice_attachments.html", {
        "practice": practice, "form": form, "editable": editable,
        "accepted": ",".join(sorted(ATTACHMENT_TYPES)), "max_size": settings.COALITION_EVIDENCE_MAX_BYTES,
    })


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    practice = _authored(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, practice=practice)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” removed.") % {"title": attachment.title})
    return redirect("knowledge:attachments", practice.pk)


@require_safe
def attachment_file(request, pk: int, attachment_pk: int):
    """An attachment's file, to whoever may see the practice; always downloaded, never shown inline."""
    practice = _visible(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, practice=practice)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(attachment.file.name),
                            content_type=attachment.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def practices_mine(request):
    """The practices the person shares or may act on as an author, in any state."""
    return render(request, "knowledge/practices_mine.html", {
        "practices": selectors.practices_of_author(request.user)[:200], "may_share": bool(sharers_for(request.user)),
    })

