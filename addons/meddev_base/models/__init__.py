from . import ir_model_fields
from . import ir_rule
from . import ir_module_module
from . import meddev_mixin_contract
from . import meddev_record_access_mixin
from . import meddev_audit_checkpoint
from . import meddev_audit_entry
from . import meddev_login_failure

# imports from meddev_audit_entry: after it
from . import ir_attachment
from . import meddev_audit_mixin
from . import meddev_signature
from . import meddev_signature_mixin
from . import meddev_signature_rule
from . import meddev_stage_action_log
from . import meddev_stage_permission
from . import meddev_stage_permission_mixin
from . import meddev_xlsx_mixin
from . import meddev_supplier_scope_mixin
from . import meddev_category_scope_mixin

# inherits the signature mixin: after it
from . import meddev_audit_review
from . import res_company
from . import res_config_settings
from . import res_users
from . import res_groups
from . import meddev_governance_request_mixin
from . import meddev_sod_conflict
from . import meddev_sod_exception
from . import meddev_role_grant
from . import res_partner
from . import meddev_report_mixin
from . import meddev_welcome
from . import ir_actions_report
