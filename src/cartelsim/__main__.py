"""`python -m cartelsim` is the `cartelsim` command."""

import sys

from cartelsim.cli import main

sys.exit(main())
