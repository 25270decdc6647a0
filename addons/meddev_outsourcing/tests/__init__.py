from . import test_job_lifecycle
from . import test_job_portal
from . import test_job_portal_http
