from . import meddev_supplier_asl_wizard
from . import meddev_supplier_certificate_import_wizard
from . import meddev_supplier_override_wizard
