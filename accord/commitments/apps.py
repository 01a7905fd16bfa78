from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "accord.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from accord.commitments.coverage_store import DATA_TABLES, CoverageRows, oldest_state
        from accord.core import data_state

        # Kept coverage rows are read from the commitment data: a response that read
        # them holds while those data do.
        data_state.derives(CoverageRows._meta.db_table, DATA_TABLES)
        data_state.keeps(oldest_state)
