"""`python -m harness_cli` (and `python -m harness`): see harness_cli.cli."""

import sys

from harness_cli.cli import main

sys.exit(main())
