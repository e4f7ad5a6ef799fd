"""``python -m selfeval_lib.cli``."""

import sys

from selfeval_lib.cli import main

sys.exit(main())
