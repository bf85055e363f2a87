"""The font families a render can honour without the machine's own fonts.

Facts about a composition's text, shared by the renderer (which declares each family with the
bundled files) and the problem checker (which warns only about families that will really be
substituted). The families and aliases are those of the HyperFrames compiler (npm
``hyperframes`` 0.8.x): it embeds ``@fontsource`` files for 18 families and renders common
system family names with the nearest of them.
"""

from __future__ import annotations

#: The 18 families whose files are bundled (display name → ``@fontsource`` slug).
BUNDLED_FAMILIES: dict[str, str] = {
    "Inter": "inter",
    "Montserrat": "montserrat",
    "Outfit": "outfit",
    "Nunito": "nunito",
    "Oswald": "oswald",
    "League Gothic": "league-gothic",
    "Archivo Black": "archivo-black",
    "Space Mono": "space-mono",
    "IBM Plex Mono": "ibm-plex-mono",
    "JetBrains Mono": "jetbrains-mono",
    "EB Garamond": "eb-garamond",
    "Playfair Display": "playfair-display",
    "Source Code Pro": "source-code-pro",
    "Noto Sans JP": "noto-sans-jp",
    "Roboto": "roboto",
    "Open Sans": "open-sans",
    "Lato": "lato",
    "Poppins": "poppins",
}

#: Families the HyperFrames compiler maps to Inter.
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

#: Other names the HyperFrames compiler renders with a bundled family (name → bundled family).
OTHER_ALIASES: dict[str, str] = {
    "Futura": "Montserrat",
    "DIN Alternate": "Montserrat",
    "Arial Black": "Montserrat",
    "Bebas Neue": "League Gothic",
    "Courier New": "JetBrains Mono",
    "Courier": "JetBrains Mono",
    "Noto Sans Japanese": "Noto Sans JP",
    "Segoe UI": "Roboto",
    "SF Mono": "JetBrains Mono",
    "Menlo": "JetBrains Mono",
    "Monaco": "JetBrains Mono",
    "Consolas": "JetBrains Mono",
    "Lucida Console": "JetBrains Mono",
    "Lucida Sans Typewriter": "JetBrains Mono",
    "Andale Mono": "JetBrains Mono",
    "DejaVu Sans Mono": "JetBrains Mono",
    "Liberation Mono": "JetBrains Mono",
}

#: Every family name a render draws with a bundled family → that family, as written.
FAMILY_NAMES: dict[str, str] = {
    **{family: family for family in BUNDLED_FAMILIES},
    **{family: "Inter" for family in INTER_FAMILIES},
    **{family: "EB Garamond" for family in GARAMOND_FAMILIES},
    **OTHER_ALIASES,
}

#: The same, keyed in lower case (CSS family names match case-insensitively).
MAPPED_FAMILIES: dict[str, str] = {name.lower(): family for name, family in FAMILY_NAMES.items()}
