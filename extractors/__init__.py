"""Document family profiles. Adding a family = adding a module here with a PROFILE, plus tests."""
from __future__ import annotations

import importlib
import pkgutil

from extractors.base import Profile


def _load() -> list[Profile]:
    profiles = []
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_") or mod.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        profile = getattr(module, "PROFILE", None)
        if isinstance(profile, Profile):
            profiles.append(profile)
    return profiles


PROFILES: list[Profile] = _load()
PROFILES_BY_NAME: dict[str, Profile] = {p.name: p for p in PROFILES}
