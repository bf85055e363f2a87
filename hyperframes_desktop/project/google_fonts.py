"""What a Google Fonts stylesheet URL asks for: families, weights and styles.

Both APIs are read: ``/css2?family=Inter:wght@400;700&family=Roboto:ital,wght@0,400;1,700``
and the older ``/css?family=Lato:400,700i|Open+Sans``. ``display=``, ``text=`` and
``subset=`` do not change which faces are asked for. The renderer builds the stylesheet from
this; the problem checker counts the families as available.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

HOSTS = frozenset({"fonts.googleapis.com"})
PATHS = frozenset({"/css", "/css2"})
#: A weight range ``100..900`` (css2) gives every static weight in it.
_RANGE = re.compile(r"^(\d+)\.\.(\d+)$")
_V1_WEIGHT = re.compile(r"^(\d{3})?\s*(i|italic)?$")
_V1_NAMED = {"regular": "400", "bold": "700", "italic": "400i", "bolditalic": "700i"}


@dataclass(frozen=True)
class FamilyRequest:
    """One family of the URL: its name and the faces asked for.

    ``faces`` are ``(style, low, high)``: ``high > low`` for a css2 range. An empty tuple
    means the API's default, regular 400.
    """

    family: str
    faces: tuple[tuple[str, int, int], ...]


def is_google_fonts_url(url: str) -> bool:
    """True for a ``fonts.googleapis.com/css`` or ``/css2`` stylesheet URL (any scheme)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https", ""):
        return False
    host = (parts.hostname or "").lower()
    if not host and url.strip().startswith("//"):
        host = (urlsplit("https:" + url.strip()).hostname or "").lower()
    return host in HOSTS and parts.path.rstrip("/") in PATHS


def _weights(token: str) -> tuple[int, int] | None:
    token = token.strip()
    match = _RANGE.match(token)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        return (min(low, high), max(low, high))
    try:
        value = int(float(token))
    except ValueError:
        return None
    return (value, value)


def _css2_family(value: str) -> FamilyRequest | None:
    name, _, spec = value.partition(":")
    name = name.strip()
    if not name:
        return None
    if not spec or "@" not in spec:
        return FamilyRequest(name, ())
    axes_text, _, tuples_text = spec.partition("@")
    axes = [a.strip() for a in axes_text.split(",")]
    faces: list[tuple[str, int, int]] = []
    for item in tuples_text.split(";"):
        values = item.split(",")
        if len(values) != len(axes):
            continue
        style, weights = "normal", (400, 400)
        for axis, raw in zip(axes, values, strict=True):
            if axis == "ital":
                style = "italic" if raw.strip() == "1" else "normal"
            elif axis == "wght":
                parsed = _weights(raw)
                if parsed is None:
                    break
                weights = parsed
        else:
            faces.append((style, *weights))
    return FamilyRequest(name, tuple(dict.fromkeys(faces)))


def _v1_family(value: str) -> FamilyRequest | None:
    name, _, spec = value.partition(":")
    name = name.strip()
    if not name:
        return None
    faces: list[tuple[str, int, int]] = []
    for token in spec.split(","):
        token = token.strip().lower()
        if not token:
            continue
        token = _V1_NAMED.get(token, token)
        match = _V1_WEIGHT.match(token)
        if match is None:
            continue
        weight = int(match.group(1) or 400)
        faces.append(("italic" if match.group(2) else "normal", weight, weight))
    return FamilyRequest(name, tuple(dict.fromkeys(faces)))


def parse_google_fonts_url(url: str) -> list[FamilyRequest]:
    """The families a Google Fonts stylesheet URL asks for (empty when it is not one)."""
    if not is_google_fonts_url(url):
        return []
    parts = urlsplit(url.strip() if "://" in url else "https:" + url.strip())
    query = parse_qs(parts.query.replace("&amp;", "&"), keep_blank_values=False)
    requests: list[FamilyRequest] = []
    css2 = parts.path.rstrip("/") == "/css2"
    for value in query.get("family", []):
        pieces = [value] if css2 else value.split("|")
        for piece in pieces:
            request = _css2_family(piece) if css2 else _v1_family(piece)
            if request is not None:
                requests.append(request)
    return requests
