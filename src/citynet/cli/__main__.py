"""``python -m citynet.cli``: the ``citynet`` command."""

import sys

from citynet.cli import main

if __name__ == "__main__":
    sys.exit(main())
