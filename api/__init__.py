"""aimap's faces: the command line (``api.cli``) and the HTTP API (``api.http``)."""
