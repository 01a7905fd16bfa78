from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "accord.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from accord.access import deletions, signin
        from accord.access.selectors import access_for
        from accord.core.readers import register_reader_scope

        signin.connect_signals()
        deletions.connect_signals()

        # Classified records ask the access app who reads what (core cannot import it).
        register_reader_scope(access_for)
