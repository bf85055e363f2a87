"""Starting a project: the bundled templates and ``init`` (Qt-free, no network)."""

from .init import InitError, InitOptions, InitResult, init_project
from .resolutions import RESOLUTION_NAMES, parse_resolution
from .templates import DEFAULT_TEMPLATE, Template, find_template, list_templates

__all__ = [
    "DEFAULT_TEMPLATE",
    "RESOLUTION_NAMES",
    "InitError",
    "InitOptions",
    "InitResult",
    "Template",
    "find_template",
    "init_project",
    "list_templates",
    "parse_resolution",
]
