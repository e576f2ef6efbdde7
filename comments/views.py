from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.forms import DeleteAccountForm, EmailForm, NotificationsForm, ProfileForm
from articles import selectors as article_selectors
from articles.models import Article, SiteSettings
from config.cursors import BadCursor
from delivery import cache_keys, pagecache

from . import likes, mine, ratelimit, selectors, services, visibility
from .forms import CommentForm, FlagForm
from .models import Comment


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The reader's own page: their comments with status and reason, replies to them, settings."""
    try:
        comments, next_cursor = mine.own_comments(request.user, before=request.GET.get("before"), limit=20)
    except mine.BadCursor:
        comments, next_cursor = mine.own_comments(request.user, limit=20)
    account = account_selectors.account_data(request.user)
    context = {
        "account": account,
        "comments": comments,
        "next_cursor": next_cursor,
        "replies": mine.replies_to(request.user, limit=20),
        "ignored": account_selectors.ignored_commenters(request.user),
        "posting_refusal": services.posting_refusal(request.user),
        "profile_form": ProfileForm(initial={"display_name": account["display_name"]}),
        "email_form": EmailForm(request=request, auto_id="email_%s"),
        "notifications_form": NotificationsForm(initial=account["notifications"]),
        "delete_form": DeleteAccountForm(request=request, auto_id="delete_%s"),
        "digest_minutes": max(1, settings.NOTIFICATION_DIGEST_SECONDS // 60),
    }
    response = render(request, "comments/me.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _say_at(request, comment: Comment, text: str, level: int = messages.SUCCESS) -> None:
    """A message shown at the comment it is about (comment.html), not at the top of the page."""
    messages.add_message(request, level, text, extra_tags=f"at-comment comment-{comment.pk}")


def _say_at_thread(request, text: str, level: int = messages.SUCCESS) -> None:
    messages.add_message(request, level, text, extra_tags="at-comment comments")


def _back(comment_or_article, anchor: str = "comments"):
    article = comment_or_article if isinstance(comment_or_article, Article) else comment_or_article.article
    return redirect(f"{article.get_absolute_url()}#{anchor}")


def _refused(request, article: Article, form: CommentForm, status: int) -> HttpResponse:
    """The comment form again, with why it was refused and the writer's text kept."""
    return render(request, "comments/refused.html", {"article": article, "form": form}, status=status)


@login_required
@require_POST
def post(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = article_selectors.published_articles().get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, form, 400)
    wait = ratelimit.comment_wait(request)
    if wait:
        response = render(request, "comments/too_fast.html", {"article": article, "wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        comment = services.post_comment(
            article=article,
            author=request.user,
            body=form.cleaned_data["body"],
            parent_id=form.cleaned_data.get("parent"),
        )
    except services.InvalidComment as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _refused(request, article, form, 400)
    except services.CommentError as error:
        form.add_error(None, str(error))
        return _refused(request, article, form, 403)
    _say_at_thread(request, "Thanks! Your comment is awaiting moderation.")
    return _back(comment, f"comment-{comment.pk}")


def _own(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if comment.author_id != request.user.pk:
        raise Http404("No such comment")
    return comment


@login_required
@require_POST
def like(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk, status=visibility.PUBLIC)
    try:
        if request.POST.get("action") == "unlike":
            likes.unlike_comment(comment=comment, user=request.user)
        else:
            likes.like_comment(comment=comment, user=request.user)
    except services.CommentError as error:
        _say_at(request, comment, str(error), messages.ERROR)
    return _back(comment, f"comment-{comment.pk}")


@login_required
@require_POST
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk, status=visibility.PUBLIC)
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            services.flag_comment(comment=comment, user=request.user, **form.cleaned_data)
            _say_at(request, comment, "Thanks, a moderator will look at this comment.")
        except services.CommentError as error:
            _say_at(request, comment, str(error), messages.ERROR)
    else:
        _say_at(request, comment, "Choose a reason to flag this comment.", messages.ERROR)
    return _back(comment, f"comment-{comment.pk}")


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Without JavaScript, Delete opens this page to confirm; its form posts here."""
    comment = _own(request, pk)
    if request.method != "POST":
        shown = visibility.shown(comment, viewer=request.user)
        return render(request, "comments/delete.html", {"comment": comment, "shown": shown})
    try:
        services.delete_comment(comment=comment, user=request.user)
        _say_at_thread(request, "Your comment was deleted.")
    except services.CommentError as error:
        _say_at_thread(request, str(error), messages.ERROR)
    return _back(comment)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own(request, pk)
    latest = comment.edit_body if comment.edit_version is not None else comment.body
    form = CommentForm(request.POST or None, initial={"body": latest})
    form.fields["body"].widget.attrs.update(
        {"data-limit": services.MAX_BODY, "aria-describedby": "id_body-count"}
    )
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
            _say_at(request, comment, "Your comment was edited and is awaiting moderation.")
            return _back(comment, f"comment-{comment.pk}")
        except services.CommentError as error:
            form.add_error("body", str(error))
    status = 400 if form.errors else 200
    return render(request, "comments/edit.html", {"form": form, "comment": comment}, status=status)


@pagecache.public_cache(selectors.replies_versions, params={"cursor": cache_keys.cursor})
def replies(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of a comment's replies: where "Show N more replies" leads without JavaScript, and
    what the script appends under the comment with it."""
    try:
        parent = selectors.reply_parent(pk)
    except Comment.DoesNotExist:
        raise Http404("No such comment") from None
    article = parent.article
    if not article.is_published:
        raise Http404("No such comment")
    try:
        page = selectors.public_replies(parent, cursor=request.GET.get("cursor"))
    except BadCursor as error:
        return HttpResponseBadRequest(str(error))
    if request.user.is_authenticated:  # never for the anonymous page, which is cached whole
        nodes = selectors.index_nodes(page["results"], {})
        for pk in selectors.liked_ids(request.user, list(nodes)):
            nodes[pk]["liked"] = True
    site = SiteSettings.load()
    context = {
        "parent": selectors.comment_data(parent, names={}),
        "article": article,
        "page": page,
        "accepts_comments": article.accepts_comments(close_after_days=site.comments_close_after_days),
        "flag_form": FlagForm(),
    }
    return render(request, "comments/replies.html", context)
