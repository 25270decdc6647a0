from . import ir_module_module
from . import meddev_record_access_mixin
from . import meddev_audit_checkpoint
from . import meddev_audit_entry
from . import meddev_audit_mixin
from . import meddev_signature
from . import meddev_signature_mixin
from . import meddev_signature_rule
from . import meddev_stage_action_log
from . import meddev_stage_permission
from . import meddev_stage_permission_mixin

# inherits the signature mixin: after it
from . import meddev_audit_review
from . import res_company
from . import res_config_settings
from . import res_users
