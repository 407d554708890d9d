"""``python -m adstxt`` is the ``adstxt`` command (``python -m adstxt PATH`` still checks)."""

from adstxt._commands import main

raise SystemExit(main())
