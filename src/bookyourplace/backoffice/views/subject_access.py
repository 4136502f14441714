"""Subject access and erasure (administrators only): look a person up by email address, see and
download everything held about them in the organiser's programmes, then erase it or keep it
with a reason. Requests attendees made from their manage page are listed first.

The address never goes in a URL (URLs end up in access logs and browser history): the look-up
is a POST, and the page hands its downloads and decisions a signed token naming the address,
the administrator and the time, good for 30 minutes. Each look-up and download is audited
(privacy/subject_access.py), without the address.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from bookyourplace.accounts import permissions
from bookyourplace.backoffice import errors
from bookyourplace.backoffice.access import require, staff_required
from bookyourplace.core.errors import DomainError
from bookyourplace.core.forms import GovukForm
from bookyourplace.privacy import subject_access
from bookyourplace.privacy.models import ErasureRequest
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.models import Programme

_TOKEN_SALT = "bookyourplace.backoffice.subject-access"
TOKEN_MAX_AGE = 30 * 60


class LookUpForm(GovukForm):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The address they booked with. Capital letters do not matter."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter an email address"),
            "invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        },
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Enter the reason"),
            "max_length": gettext_lazy("The reason must be 2000 characters or fewer"),
        },
    )

    def __init__(self, *args, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = hint


class _Scope:
    """What this administrator may look at: their organiser's programmes (everything, for a
    superuser). ``None`` means no limit."""

    def __init__(self, user):
        organisers = permissions.organisers_for(user)
        if user.is_superuser:
            self.organiser_ids = self.programme_ids = None
            self.organiser_id = None
        else:
            self.organiser_ids = list(organisers.values_list("pk", flat=True))
            self.programme_ids = list(Programme.objects.filter(organiser__in=organisers).values_list("pk", flat=True))
            self.organiser_id = self.organiser_ids[0] if self.organiser_ids else None


def _allowed(request) -> _Scope:
    require(permissions.can_answer_subject_access(request.user))
    return _Scope(request.user)


def _token(request, email: str) -> str:
    return signing.dumps({"email": email, "user": request.user.pk}, salt=_TOKEN_SALT, compress=True)


def _email_from_token(request) -> str | None:
    """The address the page was about, if its token is this administrator's and recent."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != request.user.pk:
        return None
    return data.get("email") or None


def _look_up_again(request):
    messages.error(request, _("That page was open too long. Look the person up again."))
    return redirect("backoffice:subject_access")


def _search_page(request, scope: _Scope, form: LookUpForm, *, status: int = 200):
    return render(
        request,
        "backoffice/subject_access.html",
        {
            "form": form,
            "open_requests": subject_access.open_requests(organiser_ids=scope.organiser_ids),
        },
        status=status,
    )


def _results_page(request, scope: _Scope, email: str):
    held = subject_access.what_is_held(email, programme_ids=scope.programme_ids, organiser_ids=scope.organiser_ids)
    subject_access.record_look_up(held=held, actor=actor_for(request))
    return render(
        request,
        "backoffice/subject_access_results.html",
        {"held": held, "token": _token(request, held.email)},
    )


@staff_required
def subject_access_page(request):
    scope = _allowed(request)
    if request.method == "POST":
        form = LookUpForm(request.POST)
        if form.is_valid():
            return _results_page(request, scope, form.cleaned_data["email"])
        return _search_page(request, scope, form)
    return _search_page(request, scope, LookUpForm())


@staff_required
@require_safe
def erasure_request(request, request_id):
    """An attendee's request, from the list: the person it is about, looked up."""
    scope = _allowed(request)
    requests = ErasureRequest.objects.filter(status=ErasureRequest.Status.OPEN)
    if scope.organiser_ids is not None:
        requests = requests.filter(organiser_id__in=scope.organiser_ids)
    asked = get_object_or_404(requests, pk=request_id)
    return _results_page(request, scope, asked.email)


def _download(request, file_format: str):
    scope = _allowed(request)
    email = _email_from_token(request)
    if email is None:
        return _look_up_again(request)
    held = subject_access.what_is_held(email, programme_ids=scope.programme_ids, organiser_ids=scope.organiser_ids)
    subject_access.record_download(held=held, file_format=file_format, actor=actor_for(request))
    if file_format == "json":
        response = HttpResponse(subject_access.as_json(held), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(subject_access.as_pdf(held), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{subject_access.filename(held, file_format)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def export_json(request):
    return _download(request, "json")


@staff_required
@require_POST
def export_pdf(request):
    return _download(request, "pdf")


def _decision(request, *, template: str, hint: str, decide, done):
    """The erase and keep steps: the token's person, a reason, then the decision."""
    scope = _allowed(request)
    email = _email_from_token(request)
    if email is None:
        return _look_up_again(request)
    form = ReasonForm(request.POST if "reason" in request.POST else None, hint=hint)
    if form.is_valid():
        try:
            decided = decide(
                email=email, organiser_id=scope.organiser_id, scope=scope, reason=form.cleaned_data["reason"]
            )
        except DomainError as refusal:
            errors.add_to_form(form, refusal)
        else:
            messages.success(request, done(decided))
            return redirect("backoffice:subject_access")
    held = subject_access.what_is_held(email, programme_ids=scope.programme_ids, organiser_ids=scope.organiser_ids)
    return render(request, template, {"held": held, "form": form, "token": _token(request, email)})


@staff_required
@require_POST
def erase(request):
    actor = actor_for(request)

    def decide(*, email, organiser_id, scope, reason):
        return subject_access.erase_details(
            email=email, organiser_id=organiser_id, programme_ids=scope.programme_ids, reason=reason, actor=actor
        )

    return _decision(
        request,
        template="backoffice/subject_access_erase.html",
        hint=_("For example: they asked us to delete their details and we have no reason to keep them."),
        decide=decide,
        done=lambda decided: (
            ngettext(
                "Their details are erased: %(count)d record was anonymised.",
                "Their details are erased: %(count)d records were anonymised.",
                decided.records_erased,
            )
            % {"count": decided.records_erased}
        ),
    )


@staff_required
@require_POST
def keep(request):
    actor = actor_for(request)

    def decide(*, email, organiser_id, scope, reason):
        return subject_access.keep_details(email=email, organiser_id=organiser_id, reason=reason, actor=actor)

    return _decision(
        request,
        template="backoffice/subject_access_keep.html",
        hint=_(
            "For example: an ongoing safeguarding concern, or a legal claim. Everyone who looks them up will see it."
        ),
        decide=decide,
        done=lambda decided: _("Their details are kept. The reason is recorded and shown when they are looked up."),
    )
