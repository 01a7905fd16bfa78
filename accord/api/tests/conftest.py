"""The API tests use the people in each reporting role of the commitments tests."""

from accord.commitments.tests.conftest import roles

__all__ = ["roles"]
