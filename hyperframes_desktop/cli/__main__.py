import sys

from hyperframes_desktop.cli import main

sys.exit(main())
