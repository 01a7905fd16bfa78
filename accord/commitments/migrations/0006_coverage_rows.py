"""Coverage rows kept between requests. What keeps the state of the commitment data they
hold for (a counter raised by triggers on SQLite, a log of the writing transactions on
PostgreSQL) is made after every migrate by accord.commitments.coverage_store; going back,
this removes it."""

import django.core.serializers.json
from django.db import migrations, models


def remove_data_state(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # CASCADE: the triggers go with the function they call.
        schema_editor.execute("DROP FUNCTION IF EXISTS accord_commitment_data_changed() CASCADE")
        schema_editor.execute("DROP TABLE IF EXISTS accord_commitment_data_change")
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'accord_data_%'"
        )
        triggers = [row[0] for row in cursor.fetchall()]
    for trigger in triggers:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    schema_editor.execute("DROP TABLE IF EXISTS accord_commitment_data_version")


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
