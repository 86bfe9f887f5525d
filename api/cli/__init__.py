"""The ``aimap`` command line."""
