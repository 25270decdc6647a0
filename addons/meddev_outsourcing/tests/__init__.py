from . import test_job_bypass
from . import test_job_controls
from . import test_job_lifecycle
from . import test_job_report
from . import test_job_sync
from . import test_job_views
from . import test_process_spec
