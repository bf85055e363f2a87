"""Filtering catalog items by tags and words (the CLI's ``catalog`` and the Blocks panel)."""

from __future__ import annotations

from collections.abc import Iterable

from .items import RegistryItem


def matches(item: RegistryItem, tags: Iterable[str], query: str | None) -> bool:
    """Every tag present, and every word of ``query`` in the item's text (any case)."""
    item_tags = {t.lower() for t in item.tags}
    if any(tag.lower() not in item_tags for tag in tags):
        return False
    text = " ".join([item.name, item.title, item.description, *item.tags]).lower()
    return all(word in text for word in (query or "").lower().split())


def all_tags(items: Iterable[RegistryItem]) -> list[str]:
    """Every tag used, most used first."""
    counts: dict[str, int] = {}
    for item in items:
        for tag in item.tags:
            counts[tag.lower()] = counts.get(tag.lower(), 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))
