"""Entry script of the frozen app: the ``hyperframes-desktop`` console script, frozen.

The same executable is the studio, the headless CLI, (``--capture-worker JOB``) the render
capture worker that the renderer starts as a child process and (``--farm-chunk JOB``) a farm
chunk. ``farm-worker``'s Nanny starts its worker process with multiprocessing (spawn), which
re-enters this executable: ``freeze_support()`` (PyInstaller's version, for every platform)
runs that child and its resource tracker instead of the CLI.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from hyperframes_desktop.cli import main

    sys.exit(main())
