"""The version of each indicator's figures (a counter per indicator, raised by triggers)
is made after every migrate by accord.evidence.figures_state; going back, this removes
it."""

from django.db import migrations


def remove_figures_state(apps, schema_editor):
    from accord.evidence.figures_state import remove_figures_state

    remove_figures_state(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0006_dimension_index"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, remove_figures_state),
    ]
