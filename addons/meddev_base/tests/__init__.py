from . import test_audit_review
from . import test_audit_trail
from . import test_roles
from . import test_signature
from . import test_settings
from . import test_stage_permission
from . import test_permission_matrix
