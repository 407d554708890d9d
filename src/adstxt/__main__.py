"""``python -m adstxt`` runs ``adstxt-check``."""

from adstxt.cli import main

raise SystemExit(main())
