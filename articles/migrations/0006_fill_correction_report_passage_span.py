from django.db import migrations


def fill_passage_span(apps, schema_editor):
    """Find the quote of every report filed before spans were recorded, in the article as it is now."""
    from corrections.passages import find_passage  # moved from articles.passages (corrections app)

    CorrectionReport = apps.get_model("articles", "CorrectionReport")
    ArticleBlock = apps.get_model("articles", "ArticleBlock")
    texts = {}
    for report in CorrectionReport.objects.exclude(quote="").filter(passage_start__isnull=True).iterator():
        if report.article_id not in texts:
            paragraphs = ArticleBlock.objects.filter(article_id=report.article_id, kind="paragraph")
            texts[report.article_id] = "\n\n".join(p.text for p in paragraphs.order_by("position"))
        found = find_passage(texts[report.article_id], report.quote, prefix=report.prefix, suffix=report.suffix)
        if found is not None:
            report.passage_start, report.passage_end = found.start, found.end
            report.save(update_fields=["passage_start", "passage_end"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_add_correction_report_passage_span")]

    operations = [migrations.RunPython(fill_passage_span, migrations.RunPython.noop)]
