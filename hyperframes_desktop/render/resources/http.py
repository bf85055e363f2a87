"""One GET over httpx with a whole-request deadline, a size cap and a progress line."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from hyperframes_desktop.render.resources.errors import RefusalKind, ResourceError

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes
    content_type: str


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def http_get(
    url: str,
    *,
    what: str,
    timeout_s: float,
    max_bytes: int,
    progress_over: int,
    on_progress: Progress | None,
    headers: dict[str, str] | None = None,
    not_found: str | None = None,
) -> Fetched:
    """GET ``url``; raise :class:`ResourceError` naming ``what`` on any failure.

    ``timeout_s`` bounds the whole request, so a server that trickles bytes fails too.
    ``not_found`` is the sentence for a 404 (a missing package or file).
    """
    import httpx  # here, not at the top: a capture worker with a warm cache never needs it

    deadline = time.monotonic() + timeout_s
    timeout = httpx.Timeout(timeout_s)
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5) as client,
            client.stream("GET", url, headers=headers or {}) as response,
        ):
            if response.status_code == 404 and not_found:
                raise ResourceError(RefusalKind.MISSING, not_found)
            if response.status_code >= 400:
                raise ResourceError(
                    RefusalKind.FAILED,
                    f"Downloading {what} failed: {url} answered HTTP {response.status_code}.",
                )
            if response.url.scheme not in ("http", "https"):
                raise ResourceError(RefusalKind.FAILED, f"{url} redirected to a non-web URL.")
            announced = int(response.headers.get("content-length") or 0)
            if announced > max_bytes:
                raise _too_big(what, url, max_bytes)
            chunks: list[bytes] = []
            received = 0
            next_report = 0.0
            loud = on_progress is not None and announced > progress_over
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise _too_big(what, url, max_bytes)
                if time.monotonic() > deadline:
                    raise _timed_out(what, url, timeout_s)
                chunks.append(chunk)
                if loud and time.monotonic() >= next_report:
                    next_report = time.monotonic() + 0.5
                    on_progress(f"Downloading {what}: {_mb(received)} of {_mb(announced)}")
            if loud:
                on_progress(f"Downloaded {what}: {_mb(received)}")
            content_type = response.headers.get("content-type", "").split(";")[0].strip()
            return Fetched(str(response.url), b"".join(chunks), content_type)
    except httpx.TimeoutException as exc:
        raise _timed_out(what, url, timeout_s) from exc
    except httpx.HTTPError as exc:
        raise ResourceError(
            RefusalKind.FAILED,
            f"Downloading {what} from {url} failed ({type(exc).__name__}: {exc}). "
            "Fix: check the network connection, or render with the cached copy only "
            "(--offline) once it has been downloaded.",
        ) from exc


def _too_big(what: str, url: str, cap: int) -> ResourceError:
    return ResourceError(
        RefusalKind.FAILED,
        f"{what} at {url} is larger than the {_mb(cap)} limit; it was not downloaded. "
        "Fix: put the file in the project folder and name it by a relative path.",
    )


def _timed_out(what: str, url: str, timeout_s: float) -> ResourceError:
    return ResourceError(
        RefusalKind.FAILED,
        f"Downloading {what} from {url} did not finish within {timeout_s:g} s. "
        "Fix: check the network connection or the npm registry setting "
        "(NPM_CONFIG_REGISTRY, registry= in ~/.npmrc), then try again.",
    )
