"""The faces that draw: the interactive graph explorer (``visualizations.explorer``).

They ask the read side (``graph.service``) and hold no business rules."""
