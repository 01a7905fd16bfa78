"""A few plain HTTP calls to a served site, cookies kept by hand."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any


@dataclass
class Answer:
    status: int
    body: bytes
    cookies: dict[str, str]
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Browser:
    """Requests with the cookies the answers set, like a browser (no redirects followed)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def call(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        keep_cookies: bool = True,
    ) -> Answer:
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)  # noqa: S310
        try:
            response = _OPENER.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            body = response.read()
            set_cookies: dict[str, str] = {}
            for header in response.headers.get_all("Set-Cookie") or []:
                parsed: SimpleCookie = SimpleCookie()
                parsed.load(header)
                set_cookies.update({name: morsel.value for name, morsel in parsed.items()})
            if keep_cookies:
                self.cookies.update(set_cookies)
            return Answer(response.status, body, set_cookies, dict(response.headers.items()))

    def get(self, url: str, **kwargs: Any) -> Answer:
        return self.call("GET", url, **kwargs)

    def post_json(self, url: str, payload: Any, token: str) -> Answer:
        return self.call(
            "POST",
            url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
