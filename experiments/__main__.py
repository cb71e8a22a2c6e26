"""``python -m experiments``: see experiments/cli.py."""

import sys

from experiments.cli import main

sys.exit(main())
