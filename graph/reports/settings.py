"""Report settings: where saved reports are kept and which suppressions file
holds the accepted findings, from the ``[report]`` table of the config file
(``[tool.aimap.report]`` in ``pyproject.toml``), the same file as ``[analysis]``::

    [report]
    history_dir = "reports/history"     # default: reports/history
    suppressions = "accepted-gaps.yaml" # default: none

Relative paths are read from the config file's folder, so a scheduler that
starts aimap elsewhere finds the same files. An unknown key is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from graph import config_file
from graph.errors import AimapError

TABLE = "report"
DEFAULT_HISTORY_DIR = Path("reports/history")


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    history_dir: Path = DEFAULT_HISTORY_DIR
    suppressions: Path | None = None


def load_report_settings(path: str | Path | None = None, directory: Path | None = None,
                         **overrides: Any) -> ReportSettings:
    """Defaults, then the config file's ``[report]`` table, then ``overrides``
    (``None`` values ignored, so the command line passes every option through)."""
    file, settings = config_file.settings(TABLE, path, directory)
    values: dict[str, Any] = {}
    try:
        values = ReportSettings(**settings).model_dump(exclude_unset=True)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        prefix = ".".join(config_file.table_path(file, TABLE)) if file else TABLE
        message = ("unknown setting (known: history_dir, suppressions)" if error["type"] == "extra_forbidden"
                   else error["msg"])
        raise AimapError(f"{file}: [{prefix}] {key}: {message}") from None
    if file is not None:
        values = {key: (file.parent / value if isinstance(value, Path) and not value.is_absolute() else value)
                  for key, value in values.items()}
    values.update({key: value for key, value in overrides.items() if value is not None})
    return ReportSettings(**values)
