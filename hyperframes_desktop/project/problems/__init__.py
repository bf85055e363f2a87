"""The one problem checker: every problem a project has, found without rendering it.

Qt-free; the ``lint`` command, the render (which refuses a project with errors) and the
studio's Problems panel all use :func:`check_project`. The rules are the loader's own (it
raises the first error they find) plus checks of files, fonts and variables.
"""

from ..errors import Problem, ProjectProblems
from .check import check_project, raise_for_errors, summarize, timed_ids

__all__ = [
    "Problem",
    "ProjectProblems",
    "check_project",
    "raise_for_errors",
    "summarize",
    "timed_ids",
]
