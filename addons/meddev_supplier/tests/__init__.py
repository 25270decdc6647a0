from . import test_qualification
from . import test_certificate_expiry
from . import test_purchase_enforcement
from . import test_portal_scope
from . import test_supplier_audit
from . import test_change_notice
from . import test_partner_supplier
