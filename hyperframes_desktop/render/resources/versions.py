"""Which published version a spec names, by npm's rules (``semantic_version.NpmSpec``)."""

from __future__ import annotations

import re

_EXACT = re.compile(r"^v?\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?$")


def select_version(spec: str, versions: list[str], dist_tags: dict[str, str]) -> str | None:
    """The version ``spec`` resolves to among ``versions`` (None if none).

    ``""`` and ``latest`` give the ``latest`` dist-tag; another dist-tag gives its version;
    an exact version must be published; a range gives the highest release in it (npm and
    jsDelivr leave pre-releases out of ranges that do not name one).
    """
    spec = spec.strip()
    if spec in ("", "latest"):
        return dist_tags.get("latest")
    if spec in dist_tags:
        return dist_tags[spec]
    if _EXACT.match(spec):
        exact = spec.lstrip("v")
        return exact if exact in versions else None
    import semantic_version  # only a range needs it (an exact version or tag does not)

    try:
        npm_spec = semantic_version.NpmSpec(spec)
    except ValueError:
        return None
    parsed = []
    for version in versions:
        try:
            parsed.append(semantic_version.Version(version))
        except ValueError:
            continue
    best = npm_spec.select(parsed)
    return str(best) if best is not None else None
