"""Entry script of the frozen app: the ``hyperframes-desktop`` console script, frozen.

The same executable is the studio, the headless CLI and (``--capture-worker JOB``) the render
capture worker that the renderer starts as a child process.
"""

import sys

from hyperframes_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
