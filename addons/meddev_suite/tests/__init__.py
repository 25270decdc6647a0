from . import test_demo_scenario
from . import test_supplier_enforcement
from . import test_translations
from . import test_tour
from . import test_controlled_states
from . import test_regulated_records
from . import test_portal_fields
from . import test_report_pdf
