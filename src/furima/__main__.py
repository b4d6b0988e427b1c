"""`python -m furima …` is the same as the `furima` command."""

import sys

from furima.cli import main

sys.exit(main())
