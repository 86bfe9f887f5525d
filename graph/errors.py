"""Errors meant for the user: each message is one line that says what to do."""


class AimapError(Exception):
    """An error the command line prints as one line, without a traceback."""


class StoreError(AimapError):
    """The store cannot be opened, reached or written."""


class StoreMissing(StoreError):
    """A store that was to be read does not exist (nothing was imported yet)."""


class StoreBusy(StoreError):
    """Another writer held the store for longer than a writer waits."""


class UnstorableValue(StoreError, ValueError):
    """A record holds a value the store cannot keep; nothing was written.
    (The schema refuses such values on import, with the file and the field.)"""
