import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings only")
def test_sqlite_is_set_for_concurrent_writers():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # Kept between requests: a new connection parses the whole schema on its first
    # statement; a broken one is replaced at the next request (health checks).
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_dates_of_every_precision():
    import datetime as dt

    from accord.core.dates import format_partial_date, iso_partial_date, parse_partial_date

    assert parse_partial_date("2012-07") == (dt.date(2012, 7, 1), "month")
    assert format_partial_date(*parse_partial_date("2024")) == "2024"
    assert format_partial_date(*parse_partial_date("2016-02-16")) == "16 February 2016"
    assert iso_partial_date(*parse_partial_date("2012-07")) == "2012-07"
    with pytest.raises(ValueError, match="not a date"):
        parse_partial_date("July 2012")
