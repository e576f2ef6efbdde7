from celery import shared_task


@shared_task
def forget_expired_revocations() -> int:
    """Revoked newsroom tokens past their expiry are refused by `exp` alone: their rows can go."""
    from django.utils import timezone

    from .models import RevokedToken

    deleted, _ = RevokedToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
