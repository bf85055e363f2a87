"""Fonts: the bundled @fontsource families, deterministic @font-face rules for the families
HyperFrames ships, and Google Fonts stylesheets answered from @fontsource packages. Qt-free.
"""

from __future__ import annotations

from .catalog import (
    BundledFontsMissing,
    BundledPackage,
    Face,
    bundled_font_file,
    bundled_fonts_dir,
    packages,
)
from .faces import (
    font_face_css,
    font_file_url,
    font_preload_js,
    hf_offline_fonts,
    mapped_families,
    typefaces,
)
from .google import GoogleFontsCss, NpmFiles, google_fonts_css, is_google_fonts_url

__all__ = [
    "BundledFontsMissing",
    "BundledPackage",
    "Face",
    "GoogleFontsCss",
    "NpmFiles",
    "bundled_font_file",
    "bundled_fonts_dir",
    "font_face_css",
    "font_file_url",
    "font_preload_js",
    "google_fonts_css",
    "hf_offline_fonts",
    "is_google_fonts_url",
    "mapped_families",
    "packages",
    "typefaces",
]
