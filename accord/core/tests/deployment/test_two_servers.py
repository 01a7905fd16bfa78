"""Two ``accord serve`` processes on two ports over one PostgreSQL database act as one
site: a reader signs in on one and goes on on the other; a document uploaded to one is
downloaded from the other; what one process caches, another reads."""

from __future__ import annotations

import re
import uuid

from accord.core.served import serving
from accord.core.tests.deployment.conftest import PreparedSite, postgres_only
from accord.core.tests.deployment.http import Browser

pytestmark = postgres_only


def _sign_in(browser: Browser, base: str, username: str, password: str) -> None:
    form = browser.get(f"{base}/login/")
    assert form.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    body = f"csrfmiddlewaretoken={token[1]}&username={username}&password={password}"
    signed_in = browser.call(
        "POST",
        f"{base}/login/",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/"},
    )
    assert signed_in.status == 302, signed_in.text[:500]


def test_a_reader_signs_in_on_one_server_and_goes_on_on_the_other(
    served_site: PreparedSite,
) -> None:
    site = served_site.site
    with serving(site, workers=1) as first, serving(site, workers=1) as second:
        assert first != second
        browser = Browser()
        _sign_in(browser, first, "secretariat", "accord-demo")
        # The session lives in the shared database: the other server knows the reader.
        account = browser.get(f"{second}/account/")
        assert account.status == 200, account.text[:300]
        assert "secretariat" in account.text
        assert Browser().get(f"{second}/account/").status == 302  # nobody signed in

        # Uploaded on one, downloaded from the other: the same storage.
        content = b"%PDF-1.4 a note both servers keep " + uuid.uuid4().hex.encode()
        boundary = "accordboundary"
        parts = [
            *(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                for name, value in (("title", "Shared note"), ("kind", "background_note"))
            ),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="note.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n",
        ]
        body = "".join(parts).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        uploaded = Browser().call(
            "POST",
            f"{first}/api/v1/meetings/som-3/documents",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Authorization": f"Bearer {served_site.token}",
            },
        )
        assert uploaded.status == 201, uploaded.text
        download = browser.get(f"{second}/meetings/documents/{uploaded.json()['id']}/v1/")
        assert (download.status, download.body) == (200, content)

    # The cache is one for every process: what one command stores, another reads.
    key = f"two-servers-{uuid.uuid4().hex}"
    site.accord("shell", "-c", f"from django.core.cache import cache; cache.set('{key}', 42, 60)")
    read = site.accord(
        "shell", "-c", f"from django.core.cache import cache; print(cache.get('{key}'))"
    )
    assert read.strip().splitlines()[-1] == "42"
