from . import meddev_demo_scenario
