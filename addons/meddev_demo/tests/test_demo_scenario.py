from odoo.exceptions import AccessDenied
from odoo.tests import TransactionCase, tagged

DEMO_PASSWORD = "meddev-demo"  # documented in README.md


@tagged("post_install", "-at_install")
class TestDemoScenario(TransactionCase):
    """The demo company is complete and works."""

    def ref(self, xmlid):
        return self.env.ref(f"meddev_demo.{xmlid}")

    def test_company_is_a_device_maker(self):
        company = self.env.ref("base.main_company")
        self.assertIn("华康医疗器械", company.name)
        self.assertIn("Huakang Medical Devices", company.name)
        self.assertTrue(company.meddev_manufacturing_licence)
        self.assertEqual(company.meddev_gs1_company_prefix, "6971234")

    def test_three_subcontractors_with_their_boms(self):
        Bom = self.env["mrp.bom"]
        expected = {
            "product_screw_machined": "partner_cnc_machining",
            "product_screw_coated": "partner_coating",
            "product_screw_sterile": "partner_eo_sterilizer",
            "product_syringe_sterile": "partner_eo_sterilizer",
        }
        for product_xmlid, partner_xmlid in expected.items():
            product = self.ref(product_xmlid)
            partner = self.ref(partner_xmlid)
            bom = Bom._bom_subcontract_find(product, subcontractor=partner)
            self.assertTrue(bom, f"{product.name} has no subcontracting BoM")
            self.assertEqual(bom.type, "subcontract")
            self.assertEqual(product.tracking, "lot")
            # the subcontractor is also its vendor, so a PO can be raised
            self.assertIn(partner, product.seller_ids.partner_id)
        # and no other supplier may process the machined screws
        self.assertFalse(
            Bom._bom_subcontract_find(
                self.ref("product_screw_machined"),
                subcontractor=self.ref("partner_coating"),
            )
        )

    def test_one_demo_user_per_role(self):
        category = self.env.ref("meddev_base.module_category_meddev")
        # roles given only as temporary roles have no permanent holder
        temporary_only = self.env.ref("meddev_supplier.group_meddev_supplier_override")
        roles = self.env["res.groups"].search(
            [
                ("category_id", "=", category.id),
                ("id", "!=", self.env.ref("meddev_base.group_meddev_user").id),
                ("id", "!=", temporary_only.id),
            ]
        )
        self.assertGreaterEqual(len(roles), 13)
        demo_users = self.env["res.users"].search(
            [("login", "!=", "admin"), ("groups_id", "in", roles.ids)]
        )
        for role in roles:
            holders = demo_users.filtered(lambda u, r=role: r in u.groups_id)
            self.assertTrue(holders, f"no demo user holds the role {role.name}")
        portal = self.ref("user_supplier_eo")
        self.assertTrue(portal.share)
        self.assertEqual(
            portal.commercial_partner_id, self.ref("partner_eo_sterilizer")
        )

    def test_demo_password_is_the_documented_one(self):
        credential = {"type": "password", "password": DEMO_PASSWORD}
        users = self.env["res.users"].search([("login", "in", ["qa_manager", "buyer"])])
        self.assertEqual(len(users), 2)
        for user in users:
            user.with_user(user)._check_credentials(credential, {"interactive": False})
        with self.assertRaises(AccessDenied):
            users[0].with_user(users[0])._check_credentials(
                dict(credential, password="wrong"), {"interactive": False}
            )

    def test_demo_subcontracting_order_is_live(self):
        po = self.ref("po_cnc_machining_1")
        self.assertEqual(po.state, "purchase")
        receipt = po.picking_ids
        self.assertEqual(len(receipt), 1)
        production = receipt.move_ids._get_subcontract_production()
        self.assertEqual(production.product_id, self.ref("product_screw_machined"))
        self.assertEqual(
            production.move_raw_ids.product_id, self.ref("product_ti_blank")
        )
        self.assertEqual(production.product_qty, 1000)

    def test_buyer_raises_a_subcontracting_order(self):
        """The standard Odoo flow runs for the demo buyer with the suite on."""
        buyer = self.ref("user_buyer")
        po = (
            self.env["purchase.order"]
            .with_user(buyer)
            .create(
                {
                    "partner_id": self.ref("partner_coating").id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.ref("product_screw_coated").id,
                                "product_qty": 600,
                            },
                        )
                    ],
                }
            )
        )
        po.button_confirm()
        self.assertEqual(po.state, "purchase")
        production = po.picking_ids.move_ids._get_subcontract_production()
        self.assertEqual(production.bom_id, self.ref("bom_screw_coated"))
        self.assertEqual(po.order_line.price_unit, 4.20)

    def test_demo_role_request_approved_by_the_qa_manager(self):
        from datetime import timedelta

        from freezegun import freeze_time

        grant = self.ref("role_grant_leave_cover")
        qa_engineer = self.ref("user_qa_engineer")
        self.assertEqual(grant.state, "submitted")
        self.assertEqual(grant.requested_by_id, self.ref("user_production"))
        self.assertTrue(grant.name.startswith("TRG/"))
        manager = self.ref("user_qa_manager")
        self.assertIn("approve", grant.with_user(manager).meddev_allowed_actions)
        self.assertNotIn("approve", grant.with_user(qa_engineer).meddev_allowed_actions)
        grant.with_user(manager)._meddev_sign(
            "approve", DEMO_PASSWORD, comment="Leave approved by HR"
        )
        self.assertEqual(grant.state, "approved")
        with freeze_time(grant.date_start + timedelta(hours=1)):
            grant._cron_apply()
        self.assertEqual(grant.state, "active")
        self.assertTrue(qa_engineer.has_group("meddev_base.group_meddev_qa_manager"))
        with freeze_time(grant.date_end + timedelta(minutes=1)):
            grant._cron_apply()
        self.assertEqual(grant.state, "expired")
        self.assertFalse(qa_engineer.has_group("meddev_base.group_meddev_qa_manager"))

    def test_demo_approved_supplier_list(self):
        from odoo.exceptions import UserError

        states = {
            xmlid: self.ref(xmlid).state
            for xmlid in (
                "qualification_cnc_machining",
                "qualification_eo_sterilization",
                "qualification_coating",
                "qualification_rapid_plating",
                "qualification_puremed_sterilization",
            )
        }
        self.assertEqual(
            states,
            {
                "qualification_cnc_machining": "qualified",
                "qualification_eo_sterilization": "qualified",
                "qualification_coating": "conditional",
                "qualification_rapid_plating": "disqualified",
                "qualification_puremed_sterilization": "qualified",
            },
        )
        # the back-up sterilizer was qualified on its signed evaluation
        evaluation = self.ref("evaluation_puremed_sterilization")
        self.assertEqual(
            evaluation.qualification_id, self.ref("qualification_puremed_sterilization")
        )
        self.assertEqual(evaluation.state, "closed")
        self.assertEqual(evaluation.decision, "qualified")
        self.assertEqual(evaluation.recommendation, "qualified")
        self.assertGreaterEqual(evaluation.score_pct, 80)
        self.assertFalse(evaluation.critical_failed)
        self.assertTrue(all(evaluation.line_ids.mapped("template_line_id")))
        certificate = self.ref("certificate_coating_iso13485")
        self.assertEqual(certificate.state, "expiring")
        self.assertEqual(certificate.days_to_expiry, 20)
        # the disqualified plating shop cannot be given the coated screws
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.ref("partner_rapid_plating").id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.ref("product_screw_coated").id,
                            "product_qty": 500,
                        },
                    )
                ],
            }
        )
        with self.assertRaises(UserError) as caught:
            order.button_confirm()
        self.assertIn("Shenzhen Rapid Plating", str(caught.exception))
        self.assertEqual(order.state, "draft")

    def test_demo_quality_agreements(self):
        agreement = self.ref("quality_agreement_eo_sterilizer")
        self.assertEqual(agreement.state, "approved")
        self.assertEqual(
            agreement.scope_ids, self.env.ref("meddev_supplier.scope_eo_sterilization")
        )
        elements = self.env["meddev.supplier.qms.element"].search(
            [("active", "=", True)]
        )
        self.assertEqual(agreement.line_ids.element_id, elements)
        self.assertEqual(self.ref("quality_agreement_coating").state, "draft")
        # approved by the QA manager's signature, submitted by the QA engineer
        signature = agreement.signature_ids
        self.assertEqual(signature.signer_id, self.ref("user_qa_manager"))
        self.assertEqual(signature.meaning, "approved")
        self.assertFalse(agreement.signature_mismatch)
        # the sterilizer's portal user reads its approved agreement only
        portal = self.ref("user_supplier_eo")
        self.assertEqual(
            self.env["meddev.supplier.quality.agreement"].with_user(portal).search([]),
            agreement,
        )
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "meddev_supplier.action_report_meddev_supplier_quality_agreement",
            agreement.ids,
        )
        self.assertIn("责任矩阵", html.decode())
