from django.apps import AppConfig


class EmbedConfig(AppConfig):
    name = "embed"
    verbose_name = "Embed and sign-in for the newsroom's site"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from accounts.signals import account_deleting
        from delivery import changes

        from . import origins, schema, sso  # noqa: F401 - schema registers the Bearer scheme
        from .models import EmbedOrigin

        # Origins added in admin, beside EMBED_ORIGINS (which django-cors-headers reads itself).
        check_request_enabled.connect(origins.cors_allowed, dispatch_uid="embed.origins.cors_allowed")
        account_deleting.connect(sso.forget_account, dispatch_uid="embed.sso.forget_account")
        # Admins edit the list: the kept copy and the embed pages' frame-ancestors built with it go.
        changes.on_save(EmbedOrigin, lambda _: [changes.embed_origins(), changes.copy(origins.CACHE_KEY)])
