from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "accord.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from accord.search import signals

        signals.connect()
