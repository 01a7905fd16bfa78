import io

import pytest
from django.core.management import call_command

from accord.access.services import token_authenticate

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_working_token(make_user):
    user = make_user("alice")
    out = io.StringIO()
    call_command("token", "create", "alice", stdout=out)
    token = token_authenticate(out.getvalue().strip().splitlines()[-1])
    assert token is not None
    assert token.user == user


def test_token_for_unknown_user_fails_clearly():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No user named"):
        call_command("token", "create", "nobody")


def test_console_script_accepts_dashed_names(capsys):
    from accord.cli import main

    main(["load-reference", "--dry-run"])
    assert "Dry run" in capsys.readouterr().out
