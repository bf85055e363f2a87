"""How to reach a render farm (a Dask scheduler) and how to split a render for it.

Plain data, no Dask import: the CLI and the studio build it, the farm backend uses it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.options import RenderInputError

ENV_ADDRESS = "HYPERFRAMES_FARM"
ENV_CA, ENV_CERT, ENV_KEY = "HYPERFRAMES_FARM_CA", "HYPERFRAMES_FARM_CERT", "HYPERFRAMES_FARM_KEY"
#: A chunk that captures no frame for this long is stopped and retried elsewhere.
DEFAULT_STALL_TIMEOUT_S = 300.0
#: A worker that fails this many chunks of one render is left out of that render.
BLOCKLIST_AFTER = 3


@dataclass(frozen=True)
class FarmSettings:
    address: str
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    chunk_frames: int | None = None  # None: from the frame count and the number of workers
    resume: bool = False
    stall_timeout_s: float = DEFAULT_STALL_TIMEOUT_S
    connect_timeout_s: float = 15.0

    @property
    def uses_tls(self) -> bool:
        return self.address.startswith("tls://")

    def check(self) -> None:
        """Raise RenderInputError with a sentence when the settings cannot work."""
        if not self.address.startswith(("tcp://", "tls://")):
            raise RenderInputError(
                f'The farm address "{self.address}" is not a Dask scheduler address. Fix: '
                "write it as tcp://HOST:8786 or tls://HOST:8786."
            )
        files = [self.ca_file, self.cert_file, self.key_file]
        if self.uses_tls and not all(files):
            raise RenderInputError(
                "A tls:// farm needs the CA certificate, a client certificate and its key. Fix: "
                "pass --farm-ca, --farm-cert and --farm-key (or set HYPERFRAMES_FARM_CA, "
                "HYPERFRAMES_FARM_CERT and HYPERFRAMES_FARM_KEY)."
            )
        if any(files) and not self.uses_tls:
            raise RenderInputError(
                "TLS certificates were given for a tcp:// farm address. Fix: use the "
                "scheduler's tls:// address, or leave the certificates out."
            )
        for path in files:
            if path is not None and not Path(path).is_file():
                raise RenderInputError(
                    f'The certificate file "{path}" does not exist. Fix: give the path of the '
                    "PEM file made for this farm."
                )
        if self.chunk_frames is not None and self.chunk_frames < 1:
            raise RenderInputError("--chunk-frames must be at least 1.")
        if self.stall_timeout_s <= 0:
            raise RenderInputError("--chunk-stall-timeout must be a positive number of seconds.")

    def security(self):  # -> distributed.security.Security | None
        """The client's TLS settings (imports Dask: call only inside the farm backend)."""
        if not self.uses_tls:
            return None
        from distributed.security import Security

        return Security(
            tls_ca_file=str(self.ca_file),
            tls_client_cert=str(self.cert_file),
            tls_client_key=str(self.key_file),
            require_encryption=True,
        )


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def farm_settings(
    address: str | None,
    *,
    ca: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    chunk_frames: int | None = None,
    resume: bool = False,
    stall_timeout_s: float | None = None,
    env: dict[str, str] | None = None,
) -> FarmSettings | None:
    """Settings from explicit values, falling back to the HYPERFRAMES_FARM* variables; None
    when no farm address is given anywhere (render on this computer)."""
    env = dict(os.environ) if env is None else env
    address = (address or env.get(ENV_ADDRESS) or "").strip()
    if not address:
        return None
    return FarmSettings(
        address=address,
        ca_file=_path(ca or env.get(ENV_CA)),
        cert_file=_path(cert or env.get(ENV_CERT)),
        key_file=_path(key or env.get(ENV_KEY)),
        chunk_frames=chunk_frames,
        resume=resume,
        stall_timeout_s=stall_timeout_s if stall_timeout_s is not None else DEFAULT_STALL_TIMEOUT_S,
    )
