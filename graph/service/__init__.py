"""The read side every face calls: ``ReadService`` over a store, answering
with pydantic models and one filter vocabulary (``Filters``)."""

from graph.service.filters import Filters, UnknownBusinessUnit
from graph.service.read_service import EntityNotFound, InvalidRequest, ReadService
from graph.service.snapshot import Snapshot

__all__ = ["EntityNotFound", "Filters", "InvalidRequest", "ReadService", "Snapshot", "UnknownBusinessUnit"]
