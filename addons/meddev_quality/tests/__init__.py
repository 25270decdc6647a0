from . import test_access
from . import test_api
from . import test_aql_tables
from . import test_inspection
from . import test_inspection_analysis
from . import test_inspection_report
from . import test_scorecard_inspections
from . import test_switching
