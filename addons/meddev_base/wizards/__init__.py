from . import meddev_audit_report_wizard
from . import meddev_signature_wizard
from . import meddev_permission_matrix_wizard
from . import base_partner_merge
