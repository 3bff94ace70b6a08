"""Command line: python -m etl demo|load ... (see --help)."""

import sys

from etl.cli import main

sys.exit(main())
