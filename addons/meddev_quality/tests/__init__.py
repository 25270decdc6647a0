from . import test_access
from . import test_api
from . import test_aql_tables
from . import test_inspection
from . import test_switching
