"""The HTTP API (``aimap serve``): FastAPI over the read side, under ``/api/v1``."""
