from . import test_demo_scenario
from . import test_demo_truthful
from . import test_demo_outsourcing
from . import test_demo_quality
