from . import meddev_supplier_scope
from . import meddev_supplier_qualification
from . import meddev_supplier_certificate
from . import product_category
from . import product_template
from . import purchase_order
from . import stock_picking
from . import meddev_supplier_scorecard
