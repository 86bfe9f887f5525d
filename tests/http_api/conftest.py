"""Fixtures of the API tests (see ``api_client``)."""

from api_client import client, make_client  # noqa: F401  (fixtures)
