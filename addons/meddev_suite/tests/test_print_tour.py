from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPrintTour(HttpCase):
    """In Chromium, the demo users print the reports of their role from the
    web client on the demo database: the QMS administrator the permission
    matrix, the auditor the audit trail, the QA manager a quality agreement;
    each download ends with no error and no layout set-up dialog."""

    def test_qms_admin_prints_the_permission_matrix(self):
        self.start_tour(
            "/web/login?redirect=/odoo/action-meddev_base.meddev_permission_matrix_wizard_action",
            "meddev_print_permission_matrix",
            login=None,
        )

    def test_auditor_prints_the_audit_trail(self):
        self.start_tour(
            "/web/login?redirect=/odoo/action-meddev_base.meddev_audit_report_wizard_action",
            "meddev_print_audit_trail",
            login=None,
        )

    def test_qa_manager_prints_a_quality_agreement(self):
        self.start_tour(
            "/web/login?redirect=/odoo/action-meddev_supplier.meddev_supplier_quality_agreement_action",
            "meddev_print_quality_agreement",
            login=None,
        )
