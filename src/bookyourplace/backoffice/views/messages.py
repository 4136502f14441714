"""Message attendees: write, preview for one real attendee, send through the worker, watch it go."""

import secrets

from django import forms
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import programme_for, session_for, staff_required
from bookyourplace.bookings import messaging
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.notifications.models import Email, Message
from bookyourplace.privacy.services import actor_for

RECIPIENTS_PER_PAGE = 100


class MessageForm(GovukForm):
    subject = forms.CharField(
        label=gettext_lazy("Subject"), error_messages={"required": gettext_lazy("Enter a subject")}
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        help_text=gettext_lazy("Placeholders in curly brackets, like {first_name}, are filled in for each attendee."),
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": gettext_lazy("Enter a message")},
    )
    # Made when the preview is shown; "Send" brings it back so a second submit sends nothing more.
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_body(self):
        # Browsers post line breaks as CRLF; the email and the preview want plain newlines.
        return self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")

    def clean(self):
        data = super().clean()
        try:
            messaging.check_message(subject=data.get("subject", ""), body=data.get("body", ""))
        except DomainError as refusal:
            errors.add_to_form(self, refusal)
        return data

    def draft(self) -> messaging.MessageDraft:
        return messaging.MessageDraft(subject=self.cleaned_data["subject"], body=self.cleaned_data["body"])


def _compose(request, *, programme, session):
    attendees = messaging.recipients(programme=programme, session=session)
    total = attendees.count()
    context = {
        "programme": programme,
        "session": session,
        "total": total,
        "sent_messages": messaging.messages_for(programme=programme, session=session),
        "placeholders": messaging.PLACEHOLDERS,
        "back_url": _back_url(programme, session),
    }
    if total == 0:
        return render(request, "backoffice/messages/compose.html", context)
    form = MessageForm(request.POST or None)
    action = request.POST.get("action", "preview")
    if request.method == "POST" and form.is_valid():
        if action == "send" and form.cleaned_data["idempotency_key"]:
            try:
                message = messaging.send_message(
                    programme=programme,
                    session=session,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    actor=actor_for(request),
                )
            except messaging.NobodyToMessage:
                return redirect(request.path)
            flash.success(
                request,
                ngettext(
                    "Your message is being sent to %(count)d attendee.",
                    "Your message is being sent to %(count)d attendees.",
                    message.recipients,
                )
                % {"count": message.recipients},
            )
            return redirect("backoffice:message", message_id=message.pk)
        if action != "edit":
            example = attendees.first()
            subject, text = messaging.preview_message(message_draft=form.draft(), booking=example)
            context.update(
                {
                    "form": form,
                    "example": example,
                    "preview_subject": subject,
                    "preview_text": text,
                    # Say so when the preview shows the example in place of the attendee's own link.
                    "shows_example_link": messaging.example_manage_url() in subject + text,
                    "idempotency_key": secrets.token_urlsafe(32),
                }
            )
            return render(request, "backoffice/messages/preview.html", context)
    if action == "edit":
        # Back from the preview to change the words: the form again, without complaints.
        form = MessageForm(initial={"subject": request.POST.get("subject", ""), "body": request.POST.get("body", "")})
    context["form"] = form
    return render(request, "backoffice/messages/compose.html", context)


def _back_url(programme, session) -> str:
    if session is not None:
        return reverse("backoffice:session", kwargs={"session_id": session.pk})
    return reverse("backoffice:programme", kwargs={"programme_id": programme.pk})


@staff_required
def session_message(request, session_id):
    session = session_for(request, session_id, edit=True)
    return _compose(request, programme=session.programme, session=session)


@staff_required
def programme_message(request, programme_id):
    programme = programme_for(request, programme_id, edit=True)
    return _compose(request, programme=programme, session=None)


def _message_for(request, message_id) -> Message:
    message = get_object_or_404(Message.objects.select_related("programme", "session", "created_by"), pk=message_id)
    # Who can see the message is who can write one: the recipients' addresses are personal data.
    programme_for(request, message.programme_id, edit=True)
    return message


def _progress(message: Message) -> dict:
    sent, total, failed = messaging.message_progress(message)
    return {
        "sent": sent,
        "total": total,
        "failed": failed,
        "done": sent + failed >= total,
        "text": _("%(sent)d of %(total)d sent") % {"sent": sent, "total": total},
        "failed_text": ngettext("%(count)d failed", "%(count)d failed", failed) % {"count": failed} if failed else "",
    }


@staff_required
def message_detail(request, message_id):
    message = _message_for(request, message_id)
    # Each email is about a booking: its name and session come in one query each per page.
    emails = message.emails.prefetch_related("about__session").order_by("id")
    page = Paginator(emails, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/messages/detail.html",
        {
            "message": message,
            "programme": message.programme,
            "session": message.session,
            "progress": _progress(message),
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "statuses": Email.Status,
            "back_url": _back_url(message.programme, message.session),
        },
    )


@staff_required
def message_progress(request, message_id):
    message = _message_for(request, message_id)
    response = JsonResponse(_progress(message))
    response["Cache-Control"] = "no-store"
    return response
