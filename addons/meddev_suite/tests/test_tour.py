from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMeddevTour(HttpCase):
    def test_demo_user_logs_in_and_opens_qms(self):
        """A demo user signs in through the login page and opens the QMS app."""
        self.start_tour("/web/login", "meddev_login_open_qms", login=None)

    def test_qa_manager_approves_a_temporary_role_by_signature(self):
        """In the web client, the demo QA manager approves the demo request for
        a temporary role with her electronic signature."""
        grant = self.env.ref("meddev_demo.role_grant_leave_cover")
        manager = self.env.ref("meddev_demo.user_qa_manager")
        # she signs in through the login form with the documented demo
        # password, which the signing dialog asks again
        self.start_tour(
            "/web/login?redirect=/odoo/action-meddev_base.meddev_role_grant_action",
            "meddev_role_grant_approve",
            login=None,
        )
        self.assertEqual(grant.state, "approved")
        self.assertEqual(grant.signature_ids.signer_id, manager)
        self.assertEqual(grant.signature_ids.comment, "Leave cover agreed with HR")

    def test_qa_manager_qualifies_a_supplier_by_signature(self):
        """In the web client, the demo QA manager approves the qualification of
        the second machining source with her electronic signature."""
        qualification = self.env.ref("meddev_demo.qualification_kunshan_machining")
        self.start_tour(
            "/web/login?redirect=/odoo/action-"
            "meddev_supplier.meddev_supplier_qualification_action",
            "meddev_supplier_qualify",
            login=None,
        )
        self.assertEqual(qualification.state, "qualified")
        self.assertEqual(
            qualification.signature_ids.signer_id,
            self.env.ref("meddev_demo.user_qa_manager"),
        )
        # on the QA engineer's signed evaluation, which the decision closes
        evaluation = self.env.ref("meddev_demo.evaluation_kunshan_machining")
        self.assertEqual(evaluation.state, "closed")
        self.assertEqual(evaluation.decision, "qualified")

    def test_buyer_is_refused_an_order_to_a_disqualified_supplier(self):
        """In the web client, confirming an order of coated screws from the
        disqualified plating shop is refused with the reason."""
        order = self.env.ref("meddev_demo.purchase_order_rapid_plating")
        self.start_tour(
            "/web/login?redirect=/odoo/action-purchase.purchase_rfq",
            "meddev_supplier_blocked_po",
            login=None,
        )
        self.assertEqual(order.state, "draft")
