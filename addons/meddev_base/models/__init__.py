from . import ir_model_fields
from . import ir_module_module
from . import meddev_record_access_mixin
from . import meddev_audit_checkpoint
from . import meddev_audit_entry
from . import meddev_audit_mixin
from . import meddev_signature
from . import meddev_signature_mixin
from . import meddev_signature_rule

# inherits the signature mixin: after it
from . import meddev_audit_review
from . import res_company
from . import res_config_settings
from . import res_users
