"""Visitors' answers kept while the data they were read from stand, on both databases.

Committed (``transaction=True``): within a test's own transaction nothing it wrote is
complete, so answers are neither kept nor used there.
"""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings

from accord.core import data_state
from accord.core.response_cache import CSRF_SLOT
from accord.evidence.models import Indicator
from accord.meetings.models import MeetingTier
from accord.partners.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def token_of(content: bytes) -> bytes:
    found = TOKEN.search(content)
    assert found, "no CSRF token in the page"
    return found[1]


@pytest.fixture
def partners(db):
    Organisation.objects.create(acronym="IOM", name="International Organization for Migration")
    Organisation.objects.create(acronym="DG HOME", name="Migration and Home Affairs")


def kept(response) -> bool:
    return response.get("X-Accord-Kept") == "yes"


def test_a_visitor_is_answered_from_the_kept_page_with_a_token_of_their_own(partners):
    first = Client().get("/partners/")
    assert first.status_code == 200
    assert not kept(first)
    visitor = Client()
    again = visitor.get("/partners/")
    assert kept(again)
    assert b"International Organization for Migration" in again.content
    assert CSRF_SLOT.encode() not in again.content
    assert token_of(again.content) != token_of(first.content)
    # The token put in the kept page is this visitor's: a form posted with it passes.
    checked = Client(enforce_csrf_checks=True)
    page = checked.get("/partners/")
    assert kept(page)
    answer = checked.post(
        "/i18n/setlang/",
        {
            "language": "fr",
            "next": "/",
            "csrfmiddlewaretoken": token_of(page.content).decode(),
        },
    )
    assert answer.status_code == 302


@pytest.mark.parametrize("write", ["model_save", "queryset_update", "raw_sql", "delete"])
def test_a_write_to_a_table_it_read_makes_the_answer_anew(partners, write):
    Client().get("/partners/")
    assert kept(Client().get("/partners/"))
    iom = Organisation.objects.get(acronym="IOM")
    if write == "model_save":
        iom.name = "Renamed organisation"
        iom.save()
    elif write == "queryset_update":
        Organisation.objects.filter(pk=iom.pk).update(name="Renamed organisation")
    elif write == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE partners_organisation SET name = %s WHERE id = %s",
                ["Renamed organisation", iom.pk],
            )
    else:
        Organisation.objects.filter(pk=iom.pk).delete()
    answer = Client().get("/partners/")
    assert not kept(answer)
    assert b"International Organization for Migration" not in answer.content
    if write != "delete":
        assert b"Renamed organisation" in answer.content
    assert kept(Client().get("/partners/"))


def test_a_write_elsewhere_keeps_the_answer(partners):
    Client().get("/api/v1/partners")
    MeetingTier.objects.create(code="expert", name="Expert meetings")
    answer = Client().get("/api/v1/partners")
    assert kept(answer)
    assert {item["acronym"] for item in answer.json()["items"]} == {"IOM", "DG HOME"}


def test_signed_in_readers_get_answers_made_for_them(partners, make_user):
    Client().get("/partners/")
    assert kept(Client().get("/partners/"))
    reader = Client()
    reader.force_login(make_user("reader"))
    answer = reader.get("/partners/")
    assert answer.status_code == 200
    assert not kept(answer)
    assert not kept(Client(HTTP_AUTHORIZATION="Bearer nothing").get("/partners/"))


def test_answers_differ_by_address_and_language(partners):
    Client().get("/partners/?kind=" + OrganisationKind.choices[0][0])
    assert not kept(Client().get("/partners/"))
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert not kept(french.get("/partners/"))
    assert kept(Client(HTTP_ACCEPT_LANGUAGE="fr").get("/partners/"))


def test_what_reads_unwatched_tables_is_not_kept(db):
    Indicator.objects.create(code="SDG-10.7.2", name="Migration policies")
    for _ in range(2):
        answer = Client().get("/evidence/indicators/SDG-10.7.2/")
        assert answer.status_code == 200
        assert not kept(answer)


@override_settings(ACCORD_RESPONSE_CACHE_SECONDS=0)
def test_nothing_is_kept_when_the_lifetime_is_zero(partners):
    Client().get("/partners/")
    assert not kept(Client().get("/partners/"))


def test_every_watched_table_has_its_trigger(db):
    tables = set(data_state.watched_tables(connection))
    assert {"partners_organisation", "meetings_actionpoint", "auth_user"} <= tables
    assert not tables & {"django_session", "evidence_observation", "accord_cache"}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = %s",
                [data_state.PG_TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [data_state.SQLITE_TRIGGER_PREFIX + "%"],
            )
        assert {row[0] for row in cursor.fetchall()} == tables


def test_a_trigger_dropped_by_a_rebuild_is_made_again(db):
    """SQLite drops a table's triggers when a migration rebuilds it; every migrate
    makes them again."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TRIGGER "{data_state.SQLITE_TRIGGER_PREFIX}auth_user_update"')
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {data_state.PG_TRIGGER} ON auth_user")
    data_state.ensure()
    state = data_state.state(["auth_user"])
    from django.contrib.auth.models import User

    User.objects.create(username="someone")
    assert not data_state.holds(state, ["auth_user"])
    assert data_state.holds(data_state.state(["auth_user"]), ["auth_user"])


def test_the_log_of_writes_forgets_only_what_no_kept_answer_can_need(partners, monkeypatch):
    """PostgreSQL: a write's entry stays while an answer kept before it may still be
    used (for the answers' lifetime); after, every entry of a transaction complete before
    the oldest one running goes (that one may be another database's: ids are the
    cluster's)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps counters, not a log")

    def logged(before: str = "") -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {data_state.CHANGE_TABLE} "  # noqa: S608
                + ("WHERE xact < %s::xid8" if before else ""),
                [before] if before else [],
            )
            return int(cursor.fetchone()[0])

    Organisation.objects.filter(acronym="IOM").update(name="Renamed organisation")
    assert logged() > 0
    data_state.forget_changes()  # kept answers live 60 s: none kept after it is that old
    assert logged() > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        oldest_running = cursor.fetchone()[0]
    with override_settings(ACCORD_RESPONSE_CACHE_SECONDS=0):
        # A state a process keeps in memory may still need it (for KEPT_IN_MEMORY_S).
        data_state.forget_changes()
        assert logged() > 0
        monkeypatch.setattr(data_state, "KEPT_IN_MEMORY_S", 0.0)
        data_state.forget_changes()
    assert logged(before=oldest_running) == 0
