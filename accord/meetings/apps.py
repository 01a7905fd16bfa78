from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "accord.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from accord.meetings import jobs as _jobs  # noqa: F401 - registers the periodic jobs
