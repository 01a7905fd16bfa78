from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "accord.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from accord.access import deletions, signin

        signin.connect_signals()
        deletions.connect_signals()
