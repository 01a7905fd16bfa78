"""The Jinja2 environment of the few templates rendered once per row of long tables.

Django's template language costs some fifty function calls for each variable or filter;
a table of fifty action points, each with its updates, spent most of its page there.
Jinja2 compiles a template to Python, and Django ships its backend. Templates written
for it live in an app's ``jinja2/`` folder and are named ``*.jinja``; every other
template is Django's. They are rendered with Django's translations (``_()``), its
escaping rules (what is marked safe stays safe) and the filters below; what depends on
an app is passed in by the code that renders them.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from accord.core.templatetags.accord import time_element, url_to


def _escaped_as_django_does(value: object) -> object:
    """What is printed, escaped as Django escapes it (``'`` as ``&#x27;``, where Jinja
    writes ``&#39;``), so that a row reads the same whichever template wrote it."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped here


def environment(**options: Any) -> Environment:
    # A name the code did not pass is an error, not an empty string in a page.
    options["undefined"] = StrictUndefined
    env = Environment(  # noqa: S701 - Django's backend sets autoescape
        extensions=["jinja2.ext.i18n"], finalize=_escaped_as_django_does, **options
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update({"time_element": time_element, "url_to": url_to})
    return env
