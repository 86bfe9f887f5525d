"""aimap's centre: the schema, the stores and the analyses.

Nothing in this package imports from ``api``, ``importers`` or ``visualizations``.
"""
