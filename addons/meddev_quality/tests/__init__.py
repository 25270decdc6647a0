from . import test_inspection_analysis
from . import test_inspection_report
from . import test_scorecard_inspections
