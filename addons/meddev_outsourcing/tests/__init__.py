from . import test_job_lifecycle
from . import test_job_report
from . import test_job_views
