"""Where a centre's follow-up store lives: one function for ``employkit run`` and ``employkit followup``.

Each centre has its own store, named after the centre's key and kept beside its
configuration, so two centres run in one folder keep two stores and every command finds
the store the others wrote:

>>> from employkit.config import parse_config
>>> config = parse_config({}, path="/srv/junggu/employkit.toml")
>>> default_store_path(config, "11140-중구-일자리센터").as_posix()
'/srv/junggu/employkit-followup-11140-중구-일자리센터.sqlite'
>>> parse = parse_config({"followup": {"store": "data/followup.sqlite"}}, path="/srv/junggu/employkit.toml")
>>> default_store_path(parse, "11140-중구-일자리센터").as_posix()
'/srv/junggu/data/followup.sqlite'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from employkit.errors import ConfigError

if TYPE_CHECKING:
    from employkit.config import CentreConfig

__all__ = ["default_store_path"]

_KEY_SAFE = re.compile(r"[0-9A-Za-z가-힣_.-]+")


def default_store_path(config: CentreConfig, centre_key: str) -> Path:
    """The follow-up store of the centre ``centre_key`` (:attr:`employkit.model.Centre.key`) under ``config``.

    ``[followup] store`` when the configuration sets it (a relative path is taken from the
    configuration file's folder); else ``employkit-followup-<centre_key>.sqlite`` in the
    configuration file's folder, or in the current directory when there is no file.
    """
    base = Path(config.path).parent if config.path else Path.cwd()
    configured = config.setting("followup", "store", None)
    if configured is not None and configured != "":
        if not isinstance(configured, str):
            raise ConfigError(f"{config.origin}: [followup] store must be a file path, got {configured!r}")
        path = Path(configured)
        return path if path.is_absolute() else base / path
    if not _KEY_SAFE.fullmatch(centre_key) or centre_key.strip(".") == "":
        raise ConfigError(
            f"centre key {centre_key!r} cannot name a follow-up store file "
            "(letters, digits, Hangul, '-', '_' and '.' only)"
        )
    return base / f"employkit-followup-{centre_key}.sqlite"
