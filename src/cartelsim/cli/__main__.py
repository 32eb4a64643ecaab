import sys

from cartelsim.cli import main

sys.exit(main())
