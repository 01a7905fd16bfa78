"""Coverage rows kept between requests. What keeps the state of the data they hold for
(counters raised by triggers on SQLite, a log of the writing transactions on PostgreSQL)
is made after every migrate by accord.core.data_state; going back, this removes it."""

import django.core.serializers.json
from django.db import migrations, models


def remove_data_state(apps, schema_editor):
    from accord.core import data_state

    data_state.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0005_sample_flag"),
        ("partners", "0002_organisation_iati_identifier"),
    ]

    operations = [
        migrations.CreateModel(
            name="CoverageRows",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64, unique=True, verbose_name="statement")),
                ("data_state", models.TextField(verbose_name="state of the data")),
                ("rows", models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name="rows")),
                ("read_at", models.DateTimeField(verbose_name="read at")),
            ],
            options={"verbose_name": "coverage rows", "verbose_name_plural": "coverage rows"},
        ),
        migrations.RunPython(migrations.RunPython.noop, remove_data_state),
    ]
