import sys

from bilan_app.cli import main

sys.exit(main())
