"""The demo organisation (``seed-demo``, demo mode): its people, and bilans at every status written through
the real services.

``seed`` orchestrates the areas (``people``, ``bilans``, ``skills``, ``projects``), which share only
``common``. Importing the package is cheap: the seeding modules load when ``seed_demo`` runs.
"""

from services.demo.common import DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SIRET, DemoLogin
from services.demo.seed import DemoModeRequired, database_is_empty, seed_demo

__all__ = [
    "DEMO_ORGANISATION",
    "DEMO_PASSWORD",
    "DEMO_PEOPLE",
    "DEMO_SIRET",
    "DemoLogin",
    "DemoModeRequired",
    "database_is_empty",
    "seed_demo",
]
