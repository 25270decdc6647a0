from . import models
from . import wizards
from .models.meddev_audit_migration import audit_migration
