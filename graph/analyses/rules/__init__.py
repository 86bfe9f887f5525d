"""One module per gap rule; each registers itself with ``graph.analyses.registry.rule``.

Modules here are discovered by ``graph.analyses.registry.all_rules``; nothing
else needs to list them.
"""
