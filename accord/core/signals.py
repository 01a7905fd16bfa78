"""Signals of the project's own, for what Django's model signals do not see.

``records_written`` is sent after records were written in bulk (``bulk_create``,
``bulk_update``, ``QuerySet.update``), which send no ``post_save``: ``sender`` is the model,
``pks`` the ids of the records written. Whatever keeps a copy of records (the search
index) listens, and is current in the same transaction.
"""

from django.dispatch import Signal

records_written = Signal()
