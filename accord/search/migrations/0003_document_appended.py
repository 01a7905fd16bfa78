"""PostgreSQL: an entry whose body only grew at its end (progress recorded on an action
point, one statement of ``indexing.append_to_body``) has its document extended by the
words added, where the whole body was parsed again at every append.

``to_tsvector(a || ' ' || b)`` and ``to_tsvector(a) || to_tsvector(' ' || b)`` are the
same document: the concatenation shifts the right side's positions past the left's, as
the parser numbers the words of the whole. The shortcut is taken only when the title is
the same and the old body is followed by a space in the new one (no word is cut in two).
"""

from django.db import migrations

FULL = """
        NEW.document :=
            setweight(to_tsvector('simple', coalesce(NEW.stems_title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.stems_body, '')), 'B');
        RETURN NEW;"""

APPENDED = f"""CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.document IS NOT NULL
            AND NEW.stems_title IS NOT DISTINCT FROM OLD.stems_title
            AND OLD.stems_body IS NOT NULL AND NEW.stems_body IS NOT NULL THEN
            IF NEW.stems_body = OLD.stems_body THEN
                NEW.document := OLD.document;
                RETURN NEW;
            END IF;
            IF OLD.stems_body = '' OR (
                starts_with(NEW.stems_body, OLD.stems_body)
                AND substr(NEW.stems_body, length(OLD.stems_body) + 1, 1) = ' '
            ) THEN
                NEW.document := OLD.document || setweight(to_tsvector(
                    'simple', substr(NEW.stems_body, length(OLD.stems_body) + 1)), 'B');
                RETURN NEW;
            END IF;
        END IF;{FULL}
    END
    $$ LANGUAGE plpgsql"""

WHOLE = f"""CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger AS $$
    BEGIN{FULL}
    END
    $$ LANGUAGE plpgsql"""


def _on_postgresql(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(_on_postgresql(APPENDED), _on_postgresql(WHOLE))]
