import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, ArticleBlock


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])
        if create:
            self.save()


def moderator(**kwargs):
    return UserFactory(groups=["Moderators"], **kwargs)


def desk_editor(**kwargs):
    return UserFactory(groups=["Corrections desk"], is_staff=True, **kwargs)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A short standfirst."
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    updated_at = factory.SelfAttribute("published_at")

    @factory.post_generation
    def paragraphs(self, create, extracted, **kwargs):
        if create:
            for position, text in enumerate(extracted or ["The first paragraph."], start=1):
                ArticleBlock.objects.create(article=self, position=position, text=text)
