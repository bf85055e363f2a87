"""The font families HyperFrames maps to the fonts the app bundles.

Facts about a composition's text, shared by the renderer (which declares each family with the
bundled files) and the problem checker (which warns about families that will be substituted).
"""

from __future__ import annotations

#: Families the HyperFrames compiler (npm ``hyperframes`` 0.8.x) maps to Inter.
INTER_FAMILIES: tuple[str, ...] = (
    "Inter",
    "DejaVu Sans",
    "Arial",
    "Helvetica",
    "Helvetica Neue",
    "Helvetica Bold",
    "Liberation Sans",
    "Noto Sans",
    "SF Pro",
    "SF Pro Display",
    "SF Pro Text",
    "SF Pro Rounded",
    "Avenir",
    "Avenir Next",
    "Lucida Grande",
    "Geneva",
    "Optima",
    "Verdana",
    "Tahoma",
    "Trebuchet MS",
    "Calibri",
    "Candara",
    "Corbel",
    "Lucida Sans",
    "Lucida Sans Unicode",
)

#: Families the HyperFrames compiler maps to EB Garamond.
GARAMOND_FAMILIES: tuple[str, ...] = (
    "EB Garamond",
    "DejaVu Serif",
    "Garamond",
    "Georgia",
    "Times",
    "Times New Roman",
    "Liberation Serif",
    "Palatino",
    "Palatino Linotype",
    "Book Antiqua",
    "Cambria",
)

#: Every mapped family (lower case) → the bundled typeface it renders with.
MAPPED_FAMILIES: dict[str, str] = {
    **{family.lower(): "Inter" for family in INTER_FAMILIES},
    **{family.lower(): "EB Garamond" for family in GARAMOND_FAMILIES},
}
