from . import test_demo_scenario
from . import test_supplier_enforcement
from . import test_translations
from . import test_tour
