"""Package layout for setuptools (metadata lives in pyproject.toml).

``resources/`` (fonts, demo project, icons, desktop entry) stays at the top of the source
tree and is mapped into the package as ``hyperframes_desktop/resources`` by setuptools'
``package_dir``, so wheels, sdists and ``pip install .`` carry it without a second copy in
git. The bundled fonts (resources/fonts/npm, git-ignored) are fetched from the npm registry
first, by scripts/fetch_fonts.py. The app finds it all through
``hyperframes_desktop/resource_paths.py``. Package lists are found, not written out (folders
without ``__init__.py`` included, as ``ui/preview``), so a new subpackage or resource folder
is never left out of the wheel.
"""

import subprocess
import sys
from pathlib import Path

from setuptools import find_namespace_packages, setup

# The bundled fonts are not in git: fetch them (once; a no-op when done, and when building
# from an sdist that already carries them) before the resource folders are listed.
_FETCH_FONTS = Path(__file__).resolve().parent / "scripts" / "fetch_fonts.py"
if _FETCH_FONTS.is_file():
    subprocess.run([sys.executable, str(_FETCH_FONTS)], check=True)

RESOURCES = "hyperframes_desktop.resources"
# Never shipped: renders of the demo made in a checkout, caches.
_SKIP = ["demo.renders", "demo.renders.*", "*__pycache__*"]

code = find_namespace_packages(
    include=["hyperframes_desktop", "hyperframes_desktop.*"], exclude=["*__pycache__*"]
)
resources = [RESOURCES] + [
    f"{RESOURCES}.{name}" for name in find_namespace_packages(where="resources", exclude=_SKIP)
]

setup(
    packages=code + resources,
    package_dir={RESOURCES: "resources"},
    package_data={"hyperframes_desktop.render.js": ["*.js"], **{p: ["*"] for p in resources}},
    exclude_package_data={p: [".*", "*.pyc"] for p in resources},
)
