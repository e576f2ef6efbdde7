from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticleBlock

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"


def test_load_seeds_creates_the_seed_article_and_its_teaser(capsys):
    call_command("load_seeds")

    assert set(Article.objects.values_list("slug", flat=True)) == {
        "98000-russians-flee-to-kazakhstan",
        "ukraines-precipice",
    }
    assert "2 created" in capsys.readouterr().out


def test_load_seeds_keeps_ten_paragraphs_despite_the_doubled_blank_line():
    call_command("load_seeds")

    article = Article.objects.get(slug="98000-russians-flee-to-kazakhstan")
    assert len(article.paragraphs()) == 10
    assert article.blocks.filter(kind=ArticleBlock.Kind.RELATED).get().position == 8


def test_load_seeds_twice_changes_nothing_and_says_so(capsys):
    call_command("load_seeds")
    before = list(Article.objects.values_list("slug", "updated_at").order_by("slug"))
    blocks_before = list(ArticleBlock.objects.values_list("pk", flat=True).order_by("pk"))
    capsys.readouterr()

    call_command("load_seeds")

    assert "nothing changed" in capsys.readouterr().out
    assert list(Article.objects.values_list("slug", "updated_at").order_by("slug")) == before
    assert list(ArticleBlock.objects.values_list("pk", flat=True).order_by("pk")) == blocks_before


def test_edited_seed_file_updates_the_article(tmp_path, capsys):
    for path in SEEDS.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    call_command("load_seeds", dir=tmp_path)
    target = tmp_path / "ukraines-precipice.toml"
    target.write_text(
        target.read_text().replace('headline = "Ukraine\'s Precipice"', 'headline = "New title"')
    )

    call_command("load_seeds", dir=tmp_path)

    assert Article.objects.get(slug="ukraines-precipice").headline == "New title"
    assert "updated: ukraines-precipice" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('slug = "x"\nheadline = ', "not valid TOML"),
        (
            'slug = "x"\npublished_at = 2022-09-27T20:00:00+03:00\n[[blocks]]\nparagraphs = "A"\n',
            "`headline` is required",
        ),
        (
            'slug = "Bad Slug"\nheadline = "H"\npublished_at = 2022-09-27T20:00:00+03:00\n[[blocks]]\nparagraphs = "A"\n',
            "not a valid slug",
        ),
        (
            'slug = "x"\nheadline = "H"\npublished_at = 2022-09-27\n[[blocks]]\nparagraphs = "A"\n',
            "`published_at`",
        ),
        ('slug = "x"\nheadline = "H"\npublished_at = 2022-09-27T20:00:00Z\n', "at least one [[blocks]]"),
        (
            'slug = "x"\nheadline = "H"\npublished_at = 2022-09-27T20:00:00Z\n[[blocks]]\nrelated = ["missing"]\n',
            "related article 'missing' does not exist",
        ),
        (
            'slug = "x"\nheadline = "H"\nhedline = "typo"\npublished_at = 2022-09-27T20:00:00Z\n[[blocks]]\nparagraphs = "A"\n',
            "unknown keys: hedline",
        ),
    ],
)
def test_malformed_seed_file_is_rejected_naming_file_and_problem(tmp_path, content, problem):
    (tmp_path / "broken.toml").write_text(content)

    with pytest.raises(CommandError) as error:
        call_command("load_seeds", dir=tmp_path)

    assert "broken.toml" in str(error.value)
    assert problem in str(error.value)
    assert not Article.objects.exists()


def test_one_broken_file_stores_nothing_from_the_good_ones(tmp_path):
    for path in SEEDS.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zz-broken.toml").write_text('slug = "zz"\n')

    with pytest.raises(CommandError, match="zz-broken.toml"):
        call_command("load_seeds", dir=tmp_path)

    assert not Article.objects.exists()
