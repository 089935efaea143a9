"""``python -m demo DEST [--seed N] [--years 2017-2022]``."""

from demo.generator import main

raise SystemExit(main())
