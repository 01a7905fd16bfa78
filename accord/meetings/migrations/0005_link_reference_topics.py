"""Links the topics already on record (the 2016 SOM's legal avenues for migration,
voluntary return and reintegration, evidence base...) to the commitments they are about,
so that each topic has a trail. The same links the reference record now carries."""

from django.db import migrations

# Topic slug -> commitment codes, as of this migration (the reference record may grow).
LINKS = {
    "legal-avenues-for-migration": ["JVAP-2"],
    "legal-pathways": ["JVAP-2"],
    "regular-pathways": ["JVAP-2"],
    "voluntary-return-and-reintegration": ["JVAP-5"],
    "sustainable-return-and-reintegration": ["JVAP-5"],
    "return-and-reintegration": ["JVAP-5"],
    "return-and-sustainable-reintegration": ["JVAP-5"],
    "evidence-base-on-migration-and-displacement": ["SDG-17.18"],
    "root-causes-of-irregular-and-forced-migration": ["JVAP-1"],
    "protection-of-migrants": ["JVAP-3"],
    "protection-of-vulnerable-migrants": ["JVAP-3"],
    "migrant-protection": ["JVAP-3"],
}


def link(apps, schema_editor):
    Topic = apps.get_model("meetings", "Topic")
    TopicCommitment = apps.get_model("meetings", "TopicCommitment")
    rows = [
        TopicCommitment(topic_id=pk, commitment_code=code)
        for pk, slug in Topic.objects.filter(slug__in=LINKS).values_list("pk", "slug")
        for code in LINKS[slug]
    ]
    TopicCommitment.objects.bulk_create(rows, ignore_conflicts=True)


def unlink(apps, schema_editor):
    TopicCommitment = apps.get_model("meetings", "TopicCommitment")
    for slug, codes in LINKS.items():
        TopicCommitment.objects.filter(topic__slug=slug, commitment_code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_topic_commitments")]

    operations = [migrations.RunPython(link, unlink)]
