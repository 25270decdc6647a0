from . import meddev_audit_report_wizard
