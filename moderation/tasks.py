from celery import shared_task


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
    dont_autoretry_for=(),
)
def check_comment(self, comment_id: int, version: int) -> str:
    """Decide a pending comment. Interim: approve it (the automated checks come next).

    Acts only on a comment still pending at the version it was queued for, under a row lock,
    so a redelivered or duplicated message changes nothing.
    """
    from comments.models import Comment
    from comments.services import change_status

    if not Comment.objects.filter(pk=comment_id).exists():
        return "gone"
    comment = change_status(
        comment_id=comment_id,
        to_status=Comment.Status.APPROVED,
        actor_name="system",
        action="moderation.comment.approved",
        reasons=[],
        expect_status={Comment.Status.PENDING},
        expect_version=version,
    )
    return "approved" if comment else "skipped"
