from . import test_job_lifecycle
