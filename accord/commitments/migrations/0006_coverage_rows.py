"""Coverage rows kept between requests, and the state of the commitment data they hold
for: a counter raised by triggers on SQLite, a log of the writing transactions on
PostgreSQL (accord.commitments.coverage_store)."""

import django.core.serializers.json
from django.db import migrations, models

TABLES = (
    "commitments_commitment",
    "commitments_cycleentry",
    "commitments_exchangerate",
    "commitments_funding",
    "commitments_initiative",
    "commitments_initiative_implementers",
    "commitments_initiative_restricted_to",
    "commitments_initiativecommitment",
    "commitments_initiativeplace",
    "partners_organisation",
)
EVENTS = ("insert", "update", "delete")

SQLITE = [
    "CREATE TABLE accord_commitment_data_version "
    "(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
    "INSERT INTO accord_commitment_data_version (id, n) VALUES (1, 0)",
] + [
    f"""CREATE TRIGGER accord_data_{table}_{event} AFTER {event.upper()} ON {table} BEGIN
        INSERT INTO accord_commitment_data_version (id, n) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET n = n + 1;
    END"""
    for table in TABLES
    for event in EVENTS
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS accord_data_{table}_{event}" for table in TABLES for event in EVENTS
] + ["DROP TABLE IF EXISTS accord_commitment_data_version"]

POSTGRESQL = [
    "CREATE TABLE accord_commitment_data_change (xact xid8 PRIMARY KEY)",
    """CREATE FUNCTION accord_commitment_data_changed() RETURNS trigger AS $$
    BEGIN
        INSERT INTO accord_commitment_data_change (xact) VALUES (pg_current_xact_id())
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
] + [
    f"""CREATE TRIGGER accord_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON {table} FOR EACH STATEMENT EXECUTE FUNCTION accord_commitment_data_changed()"""
    for table in TABLES
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS accord_data_changed ON {table}" for table in TABLES
] + [
    "DROP FUNCTION IF EXISTS accord_commitment_data_changed()",
    "DROP TABLE IF EXISTS accord_commitment_data_change",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


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
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
