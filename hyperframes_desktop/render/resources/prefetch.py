"""Resolve a composition's statically named remote URLs before its page is loaded: a render
fails early with the resolver's sentence when a script cannot load, the cache is warm for the
capture workers (and the farm bundle), and every URL fetched is known for the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from hyperframes_desktop.project.model import Composition
from hyperframes_desktop.project.remote_refs import RemoteRef, remote_refs
from hyperframes_desktop.render.resources.errors import Refusal, RefusalKind
from hyperframes_desktop.render.resources.resolver import Answer, Resolver


@dataclass
class Prefetched:
    answers: list[tuple[RemoteRef, Answer]] = field(default_factory=list)
    refusals: list[tuple[RemoteRef, Refusal]] = field(default_factory=list)
    #: what the resolver answered but warned about (a Google Fonts family with no package)
    problems: list[str] = field(default_factory=list)

    def fatal(self) -> list[Refusal]:
        """Refusals that leave the page without a script it names (the render must stop)."""
        return [r for ref, r in self.refusals if ref.kind == "script"]

    def warnings(self) -> list[str]:
        return [
            r.message
            for ref, r in self.refusals
            if ref.kind != "script" and r.kind is not RefusalKind.BLOCKED
        ] + list(dict.fromkeys(self.problems))


def prefetch(comp: Composition, resolver: Resolver) -> Prefetched:
    result = Prefetched()
    for ref in remote_refs(comp):
        answer = resolver.resolve(ref.url, integrity=ref.integrity)
        if isinstance(answer, Answer):
            result.answers.append((ref, answer))
        else:
            result.refusals.append((ref, answer))
    result.problems = list(resolver.problems)
    return result
