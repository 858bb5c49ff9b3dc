"""`python -m tandem_cli`: the same as the `tandem` console script."""

from tandem_cli.main import main

raise SystemExit(main())
