"""The studio's side of the render farm: Preferences' farm fields as the backend's
FarmSettings, and why "Run on: render farm" cannot be chosen yet (as a sentence)."""

from __future__ import annotations

from dataclasses import dataclass

from hyperframes_desktop.render.farm.availability import dask_installed, missing_dask
from hyperframes_desktop.render.farm.settings import FarmSettings, farm_settings
from hyperframes_desktop.render.options import RenderInputError
from hyperframes_desktop.ui.store import FarmPrefs

NOT_SET_UP = (
    "No render farm is set up. Fix: enter the scheduler's address (tcp://HOST:8786 or "
    "tls://HOST:8786) in Preferences → Render farm; start one with 'hyperframes-desktop "
    "farm-scheduler' and 'hyperframes-desktop farm-worker' (see the README)."
)


@dataclass(frozen=True)
class FarmChoice:
    """What the studio can do with the farm right now."""

    settings: FarmSettings | None  # None: the farm cannot be used (see problem)
    problem: str | None  # a sentence for the tooltip, None when the farm is usable


def farm_choice(prefs: FarmPrefs, env: dict[str, str] | None = None) -> FarmChoice:
    """The farm from Preferences (HYPERFRAMES_FARM* variables fill what is left empty)."""
    if not dask_installed():
        return FarmChoice(None, missing_dask())
    settings = farm_settings(
        prefs.address or None,
        ca=prefs.ca_file or None,
        cert=prefs.cert_file or None,
        key=prefs.key_file or None,
        env=env,
    )
    if settings is None:
        return FarmChoice(None, NOT_SET_UP)
    try:
        settings.check()
    except RenderInputError as exc:
        text = str(exc).replace(
            "pass --farm-ca, --farm-cert and --farm-key (or set HYPERFRAMES_FARM_CA, "
            "HYPERFRAMES_FARM_CERT and HYPERFRAMES_FARM_KEY)",
            "choose them in Preferences → Render farm",
        )
        return FarmChoice(None, text)
    return FarmChoice(settings, None)
