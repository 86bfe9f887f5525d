"""Import settings from the config file: the ``[import]`` table of aimap.toml
(``[tool.aimap.import]`` in pyproject.toml), for what an architect sets once
rather than on every command line::

    [import.aliases]        # an id another source uses = the id it merges into
    "archimate:id-11f5304f:id-1234" = "backstage:group:default/team-a"

    [import.archimate]
    actor_associations = "ignore"   # default "hierarchy": the organisation chart
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph import config_file
from graph.errors import AimapError

TABLE = "import"


class ArchiMateSettings(BaseModel):
    """How ArchiMate models are read (docs/importers/archimate.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    actor_associations: Literal["hierarchy", "ignore"] = Field(
        "hierarchy", description="hierarchy: an association between two actors is the organisation chart "
        "(the source is the superior); ignore: it has no aimap meaning")


class ImportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    aliases: dict[str, str] = Field(default_factory=dict,
                                    description="other-id = our-id: references to other-id resolve to our-id")
    archimate: ArchiMateSettings = Field(default_factory=ArchiMateSettings)

    def reader_settings(self) -> dict[str, dict[str, Any]]:
        """Settings per format name, as the format readers take them."""
        return {"archimate": self.archimate.model_dump()}


def load_import_settings(path: str | Path | None = None, directory: Path | None = None) -> ImportSettings:
    file, table = config_file.settings(TABLE, path, directory)
    try:
        return ImportSettings(**table)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        message = "unknown setting (known: aliases, archimate.actor_associations)" \
            if error["type"] == "extra_forbidden" else error["msg"]
        prefix = ".".join(config_file.table_path(file, TABLE)) if file else TABLE
        raise AimapError(f"{file}: [{prefix}] {key}: {message}") from None
