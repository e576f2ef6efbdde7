from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from delivery import changes

        from .models import Article, ArticleBlock, SiteSettings

        # What readers see of an article changes with its row (before a save too: its old slug's
        # pages), its blocks, and the site settings; admin writes them with save() and delete().
        changes.on_save(Article, _article_pages, before=True)
        changes.on_save(ArticleBlock, lambda block: [changes.article(block.article.slug)])
        changes.on_save(
            SiteSettings,
            lambda _: [changes.site(), changes.copy(SiteSettings.CACHE_KEY)],
            created=False,  # load() making the row with its defaults changes nothing
        )


def _article_pages(article) -> list:
    """An article's pages under the slug the database holds and the one it is saved with, and the
    pages of the articles teasing it (their teasers show its headline)."""
    from django.db.models import Q

    from delivery import changes

    from .models import Article

    slugs = [article.slug]
    if article.pk is not None:
        found = Article.objects.filter(Q(pk=article.pk) | Q(blocks__teasers=article)).order_by()
        slugs += found.values_list("slug", flat=True).distinct()
    return [changes.article(*slugs)]
