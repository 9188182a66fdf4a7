"""`python -m async_lint` is the `async-lint` command."""

import sys

from async_lint.cli import main

sys.exit(main())
