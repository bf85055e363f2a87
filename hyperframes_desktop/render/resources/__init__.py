"""The resource resolver (CDN libraries, npm files, Google Fonts, remote media) and its cache.

Qt-free. See :mod:`.resolver` for the one question it answers.
"""

from hyperframes_desktop.render.resources.errors import Refusal, RefusalKind
from hyperframes_desktop.render.resources.resolver import Answer, Resolver
from hyperframes_desktop.render.resources.settings import ResolverSettings
from hyperframes_desktop.render.resources.urls import classify

__all__ = ["Answer", "Refusal", "RefusalKind", "Resolver", "ResolverSettings", "classify"]
