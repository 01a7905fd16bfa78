"""``accord report briefing|press-release|progress ...``: the framework's documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accord.access.services import command_actor
from accord.core.errors import Invalid, NotFound


class Command(BaseCommand):
    help = (
        "Briefing pack (briefing MEETING), press release draft (press-release MEETING) or "
        "progress report (progress INSTRUMENT --cycle NAME). MEETING: an id or som-3."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["briefing", "press-release", "progress"])
        parser.add_argument("subject", help="The meeting (som-3 or an id) or the instrument.")
        parser.add_argument(
            "--format",
            dest="fmt",
            default="",
            help="briefing: pdf (default), docx, html; press-release: md (default), html, "
            "docx; progress: pdf (default), xlsx, html.",
        )
        parser.add_argument(
            "-o",
            "--output",
            default="",
            help="File to write ('-': stdout). Default: stdout for Markdown, else "
            "KIND-SUBJECT.FORMAT in the current directory.",
        )
        parser.add_argument(
            "--as", dest="username", default="", help="Read as this user (default: public)."
        )
        parser.add_argument("--cycle", default="", help="progress: the reporting cycle.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = command_actor(options["username"])
        except NotFound as error:
            raise CommandError(error.message) from error
        kind = options["kind"]
        try:
            if kind == "briefing":
                content = self._briefing(user, options["subject"], options["fmt"] or "pdf")
            elif kind == "press-release":
                content = self._press_release(user, options["subject"], options["fmt"] or "md")
            else:
                content = self._progress(
                    user, options["subject"], options["cycle"], options["fmt"] or "pdf"
                )
        except (Invalid, NotFound) as error:
            hint = "" if user is not None else " Use --as with a user who may read it."
            raise CommandError(error.message + hint) from error
        except PermissionDenied as error:
            raise CommandError(f"{error} Use --as with a user who may read it.") from error
        fmt = options["fmt"] or ("md" if kind == "press-release" else "pdf")
        output = options["output"] or ("-" if fmt == "md" else f"{kind}-{options['subject']}.{fmt}")
        self._write(content, output)

    def _write(self, content: bytes, output: str) -> None:
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Written to {output} ({len(content)} bytes)")

    def _briefing(self, user: Any, key: str, fmt: str) -> bytes:
        from accord.reports.briefing import briefing_context, render_briefing

        if fmt not in {"pdf", "docx", "html"}:
            raise CommandError("briefing: --format pdf, docx or html.")
        return render_briefing(briefing_context(user=user, key=key), fmt)[0]

    def _press_release(self, user: Any, key: str, fmt: str) -> bytes:
        from accord.meetings.selectors import meeting_get
        from accord.reports.press import press_release_draft
        from accord.reports.rendering import press_release_file

        if fmt not in {"md", "html", "docx"}:
            raise CommandError("press-release: --format md, html or docx.")
        meeting = meeting_get(user=user, key=key)
        title, body = press_release_draft(meeting)
        return press_release_file(title, body, fmt)[0]

    def _progress(self, user: Any, instrument: str, cycle: str, fmt: str) -> bytes:
        from accord.reports.progress import progress_file

        if fmt not in {"pdf", "xlsx", "html"}:
            raise CommandError("progress: --format pdf, xlsx or html.")

        return progress_file(user=user, instrument=instrument, cycle=cycle, fmt=fmt)
