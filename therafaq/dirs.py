"""Where therafaq keeps things for the person using it, as the XDG spec says.

One place, so the cache, the notes file and chat's history agree: a
variable that is unset, empty or not an absolute path is ignored.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_dir(variable: str, fallback: str) -> Path:
    """$variable/therafaq, or ~/fallback/therafaq."""
    base = os.environ.get(variable, "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / fallback
    return root / "therafaq"


def cache_dir() -> Path:
    return user_dir("XDG_CACHE_HOME", ".cache")


def data_dir() -> Path:
    return user_dir("XDG_DATA_HOME", ".local/share")


def state_dir() -> Path:
    return user_dir("XDG_STATE_HOME", ".local/state")
