"""The API's documentation page loads its scripts from this server, none inline."""

import re

from django.contrib.staticfiles import finders


def test_the_docs_page_needs_no_network_and_no_inline_script(client, db):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources
    assert all(src.startswith("/static/ninja/") for src in sources)
    # every script is a file of its own; the settings travel as JSON data, not code
    assert not re.search(r"<script(?![^>]*(src=|application/json))[^>]*>", html)
    for src in sources:
        name = re.sub(r"\.[0-9a-f]{12}\.js$", ".js", src.removeprefix("/static/"))
        assert finders.find(name), name
