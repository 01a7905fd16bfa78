"""The full-text index of each database: SQLite's FTS5 table, kept from the entries by
triggers; PostgreSQL's ``tsvector`` column filled by a trigger, with a GIN index.

The entries hold words already folded and stemmed (accord.search.text), so both databases
index them as they are: FTS5's ``unicode61`` tokenizer, PostgreSQL's ``simple``
configuration. Titles weigh more than bodies in the ranking.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        stems_title, stems_body,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61', prefix='2 3 4'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, stems_title, stems_body)
        VALUES (new.id, new.stems_title, new.stems_body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, stems_title, stems_body)
        VALUES ('delete', old.id, old.stems_title, old.stems_body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, stems_title, stems_body)
        VALUES ('delete', old.id, old.stems_title, old.stems_body);
        INSERT INTO search_fts(rowid, stems_title, stems_body)
        VALUES (new.id, new.stems_title, new.stems_body);
    END""",
    # bm25 with a title worth ten words of the body.
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRESQL = [
    """CREATE FUNCTION search_entry_document() RETURNS trigger AS $$
    BEGIN
        NEW.document :=
            setweight(to_tsvector('simple', coalesce(NEW.stems_title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.stems_body, '')), 'B');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE
        ON search_searchentry FOR EACH ROW EXECUTE FUNCTION search_entry_document()""",
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "DROP TRIGGER IF EXISTS search_entry_document ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_entry_document()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
