"""Importers: outside formats in, schema records out.

Each format reader maps its input onto the schema's vocabulary and reports
problems with their location; ``importers.loader`` validates and writes.
"""
