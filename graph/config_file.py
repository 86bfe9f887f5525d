"""Where aimap's settings live: ``aimap.toml`` in the working directory, or
``pyproject.toml`` there under ``[tool.aimap]``, or a file given explicitly.

Each part of aimap reads its own table (``[analysis]``, ``[import]``); in
``pyproject.toml`` the same tables sit under ``[tool.aimap]``. Only the first
file found is read, and a broken file is an error naming the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from graph.errors import AimapError

CONFIG_FILE = "aimap.toml"
PYPROJECT_FILE = "pyproject.toml"
PYPROJECT_PREFIX = ("tool", "aimap")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise AimapError(f"cannot read the config file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AimapError(f"{path}: not valid TOML: {exc}") from exc


def table_path(file: Path, table: str) -> tuple[str, ...]:
    """Where ``table`` sits in ``file``: ``[table]``, or ``[tool.aimap.table]`` in pyproject.toml."""
    return (*PYPROJECT_PREFIX, table) if file.name == PYPROJECT_FILE else (table,)


def find_config_file(table: str, directory: Path | None = None) -> Path | None:
    """The config file in force in ``directory`` for ``table``."""
    directory = directory or Path.cwd()
    own = directory / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = directory / PYPROJECT_FILE
    if pyproject.is_file():
        section: Any = read_toml(pyproject)
        for part in table_path(pyproject, table):
            section = section.get(part) if isinstance(section, dict) else None
        if section is not None:
            return pyproject
    return None


def read_table(file: Path, table: str) -> dict[str, Any]:
    """The settings of ``table`` in ``file`` (empty when the file lacks it)."""
    data: Any = read_toml(file)
    path = table_path(file, table)
    for part in path:
        data = data.get(part, {}) if isinstance(data, dict) else None
        if not isinstance(data, dict):
            raise AimapError(f"{file}: [{'.'.join(path)}] must be a table")
    return data


def settings(table: str, path: str | Path | None = None,
             directory: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The file in force (``path`` if given, else found) and its ``table``."""
    if path is not None:
        given = Path(path)
        if not given.is_file():
            raise AimapError(f"no config file at {given}")
        file: Path | None = given
    else:
        file = find_config_file(table, directory)
    return file, (read_table(file, table) if file else {})
