"""The rows of action points that the register, my actions, the meeting page and the
progress answer show: the right action points, owners and updates, and the progress form
for the readers ``can_follow_up`` allows, and for them only."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.core.models import Classification
from accord.meetings import services
from accord.meetings.selectors import action_point_get, action_point_row_get, action_point_rows

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr id="action-point-(\d+)">(.*?)</tr>', re.S)


def _rows(html: str) -> dict[int, str]:
    return {int(pk): body for pk, body in ROW.findall(html)}


@pytest.fixture
def register(som, org, secretariat):
    """Two overdue action points of DG HOME (one shared with IOM, with two updates), one
    of IOM alone, one of DG HOME done and one of DG HOME not yet due."""
    past, future = dt.date(2023, 1, 1), timezone.localdate() + dt.timedelta(days=30)
    public = {"classification": Classification.PUBLIC}
    shared = services.action_point_create(
        meeting=som(9),
        text="Map displacement routes",
        owners=[org("IOM"), org("DG HOME")],
        due_date=past,
        **public,
    )
    services.action_point_progress(
        action_point=shared, text="Terms agreed", on=dt.date(2023, 2, 1), by=secretariat
    )
    services.action_point_progress(
        action_point=action_point_get(user=secretariat, pk=shared.pk),
        text="Survey launched",
        on=dt.date(2023, 3, 5),
        status="in_progress",
        by=secretariat,
    )
    home = services.action_point_create(
        meeting=som(8), text="Report on returns", owners=[org("DG HOME")], due_date=past, **public
    )
    iom = services.action_point_create(
        meeting=som(9), text="Train border staff", owners=[org("IOM")], due_date=past, **public
    )
    done = services.action_point_create(
        meeting=som(9), text="Close the pilot", owners=[org("DG HOME")], due_date=past, **public
    )
    services.action_point_progress(
        action_point=done, text="Closed", on=dt.date(2023, 4, 1), status="done", by=secretariat
    )
    later = services.action_point_create(
        meeting=som(9), text="Plan next year", owners=[org("DG HOME")], due_date=future, **public
    )
    return {"shared": shared, "home": home, "iom": iom, "done": done, "later": later}


QUERY = {"owner": "DG HOME", "overdue": "1", "status": "open,in_progress"}


def test_the_register_shows_the_rows_the_api_answers(client, register):
    page = client.get(reverse("action-register"), QUERY).content.decode()
    rows = _rows(page)
    shared, home = register["shared"], register["home"]
    # Soonest due first, then by id: the same rows in the same order as the API's.
    assert list(rows) == sorted([shared.pk, home.pk])
    api = json.loads(
        client.get("/api/v1/action-points", {**QUERY, "overdue": "true", "limit": 50}).content
    )
    assert [item["id"] for item in api["items"]] == list(rows)

    row = rows[shared.pk]
    assert "Map displacement routes" in row
    assert '<a href="/meetings/som-9/">som-9</a>' in row
    assert "<td>DG HOME, IOM</td>" in row  # both owners, by acronym
    assert (
        '<time datetime="2023-01-01">1 Jan. 2023</time> <strong class="overdue">overdue</strong>'
        in row
    )
    assert "<td>In progress</td>" in row
    updates = re.findall(r"<li>(.*?)</li>", row)
    assert updates == [
        '<time datetime="2023-02-01">1 Feb. 2023</time>: Terms agreed <small>— sec</small>',
        '<time datetime="2023-03-05">5 March 2023</time>: Survey launched (In progress) '
        "<small>— sec</small>",
    ]
    assert '<a href="/meetings/som-8/">som-8</a>' in rows[home.pk]
    assert "No progress recorded." in rows[home.pk]
    assert "Terms agreed" not in rows[home.pk]


@pytest.mark.parametrize(
    ("reader", "allowed"),
    [
        (None, set()),
        ("member", set()),
        ("iom_focal", {"shared"}),
        ("home_focal", {"shared", "home"}),
        ("secretariat", {"shared", "home"}),
    ],
)
def test_the_progress_form_is_offered_to_the_owners_focal_points(
    client, register, request, make_user, reader, allowed
):
    if reader == "member":
        client.force_login(make_user("home-member", ("DG HOME", "member")))
    elif reader:
        client.force_login(request.getfixturevalue(reader))
    rows = _rows(client.get(reverse("action-register"), QUERY).content.decode())
    offered = {
        name
        for name, ap in register.items()
        if ap.pk in rows
        and f'hx-post="{reverse("action-point-progress", args=[ap.pk])}"' in rows[ap.pk]
    }
    assert offered == allowed
    for name in allowed:
        pk = register[name].pk
        assert f'<label for="progress-text-{pk}">' in rows[pk]
        assert f'<select id="progress-status-{pk}" name="status">' in rows[pk]


def test_my_actions_and_the_meeting_page_show_the_same_rows(client, register, iom_focal):
    client.force_login(iom_focal)
    mine = _rows(client.get(reverse("my-actions")).content.decode())
    assert set(mine) == {register["shared"].pk, register["iom"].pk}
    assert "<td>DG HOME, IOM</td>" in mine[register["shared"].pk]
    meeting = _rows(client.get(reverse("meeting-detail", args=["som-9"])).content.decode())
    shared = register["shared"].pk
    assert _without_token(mine[shared]) == _without_token(meeting[shared])
    assert "hx-post" in meeting[shared]
    # Done, it is not overdue; owned by DG HOME, it has no form for IOM's focal point.
    done = meeting[register["done"].pk]
    assert "Close the pilot" in done
    assert "<td>Done</td>" in done
    assert "overdue" not in done
    assert "hx-post" not in done


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _row_of_instance(action_point):
    """The row as the model instance (owners, updates, meeting prefetched) tells it."""
    owners = sorted(action_point.owners.all(), key=lambda owner: owner.acronym)
    return {
        "id": action_point.pk,
        "meeting": action_point.meeting.key,
        "text": action_point.text,
        "owners": [owner.acronym for owner in owners],
        "owner_ids": [owner.pk for owner in owners],
        "assignee": action_point.assignee.full_name if action_point.assignee else None,
        "due_date": action_point.due_date,
        "status": action_point.status,
        "classification": action_point.classification,
        "version": action_point.version,
        "sample": action_point.is_sample,
        "updates": [
            {
                "on": update.on,
                "text": update.text,
                "status": update.status or None,
                "author": update.author.get_username() if update.author else None,
            }
            for update in action_point.updates.all()
        ],
    }


def test_a_row_read_alone_is_the_row_read_in_bulk_and_the_instance(register):
    from accord.meetings.models import ActionPoint
    from accord.partners.models import Organisation

    pks = sorted(ap.pk for ap in register.values())
    bulk = action_point_rows(ActionPoint.objects.filter(pk__in=pks).order_by("pk"), user=None)
    alone = [action_point_row_get(user=None, pk=pk) for pk in pks]
    assert bulk == alone
    assert bulk == [_row_of_instance(action_point_get(user=None, pk=pk)) for pk in pks]
    shared = bulk[pks.index(register["shared"].pk)]
    acronyms = dict(Organisation.objects.values_list("pk", "acronym"))
    assert [acronyms[pk] for pk in shared["owner_ids"]] == shared["owners"] == ["DG HOME", "IOM"]


def test_the_follow_up_statements_read_what_the_orm_reads(register, secretariat):
    """The owners and the progress of one action point, as the two statements of recording
    progress read them: the same as the ORM's reads of the rows, for progress without an
    author (recorded by the operator) and progress of the same day (in order of recording)."""
    from accord.meetings import action_point_statements as statements
    from accord.meetings.action_point_selectors import _updates_of

    shared = register["shared"]
    for text in ("Second on the day", "Third on the day"):
        services.action_point_progress(
            action_point=action_point_get(user=None, pk=shared.pk),
            text=text,
            on=dt.date(2023, 3, 5),
            by=None,
        )
    for point in register.values():
        ordered = point.owners.order_by("acronym")
        assert statements.owners_of(point.pk) == list(ordered.values_list("pk", "acronym"))
        assert statements.progress_of(point.pk) == _updates_of([point.pk])[point.pk]
    progress = statements.progress_of(shared.pk)
    assert [(u["text"], u["author"], u["status"]) for u in progress[1:]] == [
        ("Survey launched", secretariat.username, "in_progress"),
        ("Second on the day", None, None),
        ("Third on the day", None, None),
    ]
    assert isinstance(progress[0]["on"], dt.date)
    assert statements.owners_of(0) == statements.progress_of(0) == []


@pytest.mark.parametrize("status", ["", "done"])
def test_the_progress_answer_is_the_row_read_again(register, secretariat, home_focal, status):
    """The row answered after progress is built from the action point the request read
    and brought up to date by the service: the row a reader reading it again gets, with
    a status changed or not, and the assignee left out for a reader who may not see them."""
    from accord.meetings.selectors import action_point_row_of, action_point_to_follow_up
    from accord.partners.models import Person

    hidden = Person.objects.create(
        full_name="A. Restricted", classification=Classification.RESTRICTED
    )
    shared = register["shared"]
    services.action_point_update(
        action_point=action_point_get(user=secretariat, pk=shared.pk),
        data={"assignee": hidden},
        version=None,
        by=secretariat,
    )
    for reader in (secretariat, home_focal):
        action_point = action_point_to_follow_up(user=reader, pk=shared.pk)
        services.action_point_progress(
            action_point=action_point, text=f"Noted by {reader}", status=status, by=reader
        )
        answered = action_point_row_of(action_point, user=reader)
        assert answered == action_point_row_get(user=reader, pk=shared.pk)
        assert answered["updates"][-1]["text"] == f"Noted by {reader}"
        assert answered["status"] == (status or "in_progress")
        assert answered["assignee"] == ("A. Restricted" if reader == secretariat else None)
        assert answered["owners"] == ["DG HOME", "IOM"]


def test_the_rows_are_escaped_as_django_escapes_and_read_in_the_readers_language(
    client, register, secretariat
):
    """The rows are written by a Jinja2 template inside Django's pages: text escaped as
    Django escapes it, labels and dates in the reader's language, the form's CSRF token."""
    from accord.meetings.models import ActionPoint

    ActionPoint.objects.filter(pk=register["iom"].pk).update(text='IOM\'s <b>"pilot"</b> & more')
    client.force_login(secretariat)
    page = client.get(reverse("action-register"), {"owner": "IOM"}).content.decode()
    row = _rows(page)[register["iom"].pk]
    assert "IOM&#x27;s &lt;b&gt;&quot;pilot&quot;&lt;/b&gt; &amp; more" in row
    assert "<b>" not in row
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row)
    assert token
    assert client.cookies["csrftoken"].value  # the token the form posts is the session's
    french = client.get(reverse("action-register"), {"owner": "IOM"}, HTTP_ACCEPT_LANGUAGE="fr")
    row = _rows(french.content.decode())[register["iom"].pk]
    assert "en retard" in row  # overdue
    assert "jan. 2023" in row
    assert "Enregistrer" in row  # the form's button
