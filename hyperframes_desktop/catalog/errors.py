"""The catalog's one error type: its message is a sentence naming the problem and the fix."""


class CatalogError(Exception):
    """A catalog request cannot be done (unreachable registry, unknown item, refusal)."""
