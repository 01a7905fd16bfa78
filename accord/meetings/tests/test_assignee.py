"""An action point's assignee: naming a person one may not see fails as an unknown name
does, and a reader who may not see the assignee reads no name."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accord.core.models import Classification
from accord.meetings import services
from accord.partners.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def hidden_person(org):
    person = PersonFactory(full_name="Hidden Negotiator", classification=Classification.RESTRICTED)
    person.restricted_to.add(org("DG HOME"))
    return person


@pytest.fixture
def action_point(som, org):
    return services.action_point_create(
        meeting=som(3),
        text="Compile the evidence base",
        owners=[org("IOM")],
        due_date=dt.date(2016, 12, 31),
        classification=Classification.MEMBERS,
    )


def test_a_hidden_person_is_refused_as_an_unknown_one(
    api_client, action_point, hidden_person, iom_focal
):
    client = api_client(iom_focal)
    url = f"/api/v1/action-points/{action_point.pk}"
    hidden = patch(client, url, {"assignee": "Hidden Negotiator", "version": 1})
    unknown = patch(client, url, {"assignee": "Nobody Known", "version": 1})
    assert hidden.status_code == unknown.status_code == 422
    assert hidden.json()["detail"].replace("Hidden Negotiator", "X") == unknown.json()[
        "detail"
    ].replace("Nobody Known", "X")
    action_point.refresh_from_db()
    assert action_point.assignee is None


def test_readers_who_may_not_see_the_assignee_read_no_name(
    api_client, client, action_point, hidden_person, make_user, secretariat, home_focal
):
    done = patch(
        api_client(secretariat),
        f"/api/v1/action-points/{action_point.pk}",
        {"assignee": "Hidden Negotiator", "version": 1},
    )
    assert done.status_code == 200, done.content
    member = make_user("eeas-member", ("EEAS", "member"))
    reader = api_client(member)
    assert reader.get(f"/api/v1/action-points/{action_point.pk}").json()["assignee"] is None
    listed = reader.get("/api/v1/action-points").json()["items"]
    assert [item["assignee"] for item in listed if item["id"] == action_point.pk] == [None]
    client.force_login(member)
    for url in ("/action-points/", "/exports/action-points.csv", "/meetings/som-3/"):
        body = client.get(url).content.decode()
        assert "Hidden Negotiator" not in body, url
    # The partner the person is restricted to reads the name.
    named = api_client(home_focal).get(f"/api/v1/action-points/{action_point.pk}").json()
    assert named["assignee"] == "Hidden Negotiator"
