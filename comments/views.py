from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.services import record_signup
from articles import selectors as article_selectors
from articles.models import Article
from config import auth
from config.ratelimit import client_ip

from . import ratelimit, services
from .forms import CommentForm, FlagForm, SignupForm
from .models import Comment


def _too_many(request: HttpRequest, wait: int, what: str) -> HttpResponse:
    context = {"what": what, "minutes": -(-wait // 60)}
    response = render(request, "registration/too_many.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


class LoginView(auth_views.LoginView):
    """Django's login form, refused for a while after too many wrong passwords (429, Retry-After)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = auth.login_wait(request, username=request.POST.get("username", ""))
        if wait:
            return _too_many(
                request, wait, "There were too many failed logins for this account or from your address."
            )
        return super().post(request, *args, **kwargs)


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = auth.signup_wait(request)
        if wait:
            return _too_many(request, wait, "Too many accounts were created from your address.")
        user = form.save()
        record_signup(user=user, address=client_ip(request))
        login(request, user)
        messages.success(request, f"Welcome, {user.get_username()}. You can comment now.")
        return redirect(_next_url(request))
    return render(request, "registration/signup.html", {"form": form})


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing up: `next` when it is a path on this site (as the login view does)."""
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


def _back(comment_or_article, anchor: str = "comments"):
    article = comment_or_article if isinstance(comment_or_article, Article) else comment_or_article.article
    return redirect(f"{article.get_absolute_url()}#{anchor}")


@login_required
@require_POST
def post(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = article_selectors.published_articles().get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(article)
    wait = ratelimit.comment_wait(request)
    if wait:
        response = render(request, "comments/too_fast.html", {"article": article, "wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
    try:
        comment = services.post_comment(
            article=article, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except services.CommentsClosed as error:
        messages.error(request, str(error))
        return HttpResponse(str(error), status=403)
    except services.CommentError as error:
        messages.error(request, str(error))
        return _back(article)
    messages.success(request, "Thanks! Your comment is awaiting moderation.")
    return _back(comment, f"comment-{comment.pk}")


def _own_or_visible(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if comment.status == Comment.Status.APPROVED or comment.author_id == request.user.pk:
        return comment
    raise Http404("No such comment")


@login_required
@require_POST
def like(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=pk, status=Comment.Status.APPROVED
    )
    try:
        if request.POST.get("action") == "unlike":
            services.unlike_comment(comment=comment, user=request.user)
        else:
            services.like_comment(comment=comment, user=request.user)
    except services.CommentError as error:
        messages.error(request, str(error))
    return _back(comment, f"comment-{comment.pk}")


@login_required
@require_POST
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=pk, status=Comment.Status.APPROVED
    )
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            services.flag_comment(comment=comment, user=request.user, **form.cleaned_data)
            messages.success(request, "Thanks, a moderator will look at this comment.")
        except services.CommentError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Choose a reason to flag this comment.")
    return _back(comment, f"comment-{comment.pk}")


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_or_visible(request, pk)
    try:
        services.delete_comment(comment=comment, user=request.user)
        messages.success(request, "Your comment was deleted.")
    except services.CommentError as error:
        messages.error(request, str(error))
    return _back(comment)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_or_visible(request, pk)
    if comment.author_id != request.user.pk:
        raise Http404("No such comment")
    latest = comment.edit_body if comment.edit_version is not None else comment.body
    form = CommentForm(request.POST or None, initial={"body": latest})
    if request.method == "POST" and form.is_valid():
        wait = ratelimit.edit_wait(request)
        if wait:
            response = render(
                request, "comments/too_fast.html", {"article": comment.article, "wait": wait}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        try:
            services.edit_comment(comment=comment, user=request.user, body=form.cleaned_data["body"])
            messages.success(request, "Your comment was edited and is awaiting moderation.")
            return _back(comment, f"comment-{comment.pk}")
        except services.CommentError as error:
            form.add_error("body", str(error))
    return render(request, "comments/edit.html", {"form": form, "comment": comment})
