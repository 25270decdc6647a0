from . import meddev_demo_scenario
from . import meddev_demo_outsourcing
from . import meddev_demo_quality
from . import meddev_demo_quality_events
