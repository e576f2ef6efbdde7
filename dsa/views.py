"""The Act's pages: the notice form, the guidelines, the transparency report, the appeal form's post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import ValidationError

from comments.models import Comment
from config.views import over_limit
from moderation import charts

from . import appeals, notices, ratelimit, selectors, transparency
from .api.figures import period
from .errors import Refused
from .forms import AppealForm, NoticeForm


def _public_comment(pk: int) -> Comment:
    comment = (
        Comment.objects.select_related("article", "author")
        .filter(pk=pk, status=Comment.Status.APPROVED)
        .first()
    )
    if comment is None:
        raise Http404("No such comment")
    return comment


# Its form carries this reader's CSRF token: never cached, here or in front of the site.
@never_cache
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _public_comment(pk)
    if request.method != "POST":
        return render(request, "dsa/notice_new.html", {"comment": comment, "form": NoticeForm()})
    refused = over_limit(
        request,
        lambda: ratelimit.notice_wait(ratelimit.client_ip(request)),
        what="notices",
        back=comment.article,
        template="dsa/too_many.html",
        context={"comment": comment},
    )
    if refused is not None:
        return refused
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            notices.file_notice(comment_id=comment.pk, notifier=request.user, **form.cleaned_data)
        except Refused as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            return redirect("dsa:notice_sent", pk=comment.pk)
    return render(request, "dsa/notice_new.html", {"comment": comment, "form": form}, status=400)


@never_cache
def notice_sent(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _public_comment(pk)
    return render(request, "dsa/notice_sent.html", {"comment": comment})


@require_GET
def guidelines(request: HttpRequest, number: int | None = None) -> HttpResponse:
    version = selectors.guidelines(number)
    if version is None:
        raise Http404("No such version of the guidelines")
    context = {"version": version, "versions": list(selectors.guidelines_versions())}
    return render(request, "dsa/guidelines.html", context)


@require_GET
def transparency_page(request: HttpRequest) -> HttpResponse:
    try:
        start, end = period(request.GET)
    except ValidationError:
        start, end = period({})
    figures = transparency.figures(start=start, end=end)
    context = {"figures": figures, "tables": transparency.tables(figures), "stats": charts.dashboard()}
    return render(request, "dsa/transparency.html", context)


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    form = AppealForm(request.POST)
    back = f"{reverse('comments:me')}#{request.POST.get('anchor') or 'decisions'}"
    if not form.is_valid():
        messages.error(request, "Say why the decision is wrong (at most 5,000 characters).")
        return redirect(back)
    try:
        appeals.file_appeal(statement_id=pk, user=request.user, text=form.cleaned_data["text"])
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Your appeal was sent. A moderator other than the one who decided will answer you."
        )
    return redirect(back)
