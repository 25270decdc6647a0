from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"


@tagged("post_install", "-at_install")
class TestChangeNotice(MeddevSupplierCase):
    """A supplier's change notice re-evaluates, for cause, the supplier's
    approved qualifications for the scopes concerned, and only those."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Notice = cls.env["meddev.supplier.change.notice"]
        cls.scope_pkg = cls.env["meddev.supplier.scope"].create(
            {"name": "Sterile barrier packaging", "code": "TEST-PKG"}
        )
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.cnc = cls.qualified(cls.sterilizer, cls.scope_cnc, state="conditional")
        cls.coating = cls.qualified(
            cls.sterilizer, cls.scope_coating, state="suspended"
        )
        cls.pkg = cls.qualified(cls.sterilizer, cls.scope_pkg)
        cls.other_eo = cls.qualified(cls.coater, cls.scope_eo)

    def new_notice(self, scopes=None):
        scopes = scopes if scopes is not None else self.scope_eo | self.scope_cnc
        return (
            self.Notice.with_user(self.users["qa_engineer"])
            .create(
                {
                    "partner_id": self.sterilizer.id,
                    "scope_ids": [(6, 0, (scopes | self.scope_coating).ids)],
                    "change_type": "equipment",
                    "description": "Second EO chamber (20 m³) from 2026-09.",
                }
            )
            .with_user(self.users["qa_engineer"])
        )

    def test_evaluate_opens_for_cause_evaluations_of_concerned_scopes(self):
        notice = self.new_notice()
        self.assertEqual(notice.state, "received")
        self.assertTrue(notice.name.startswith("SCN/"))
        with self.assertRaises(AccessError):
            notice.with_user(self.users["buyer"]).action_evaluate()
        notice.action_evaluate()
        self.assertEqual(notice.state, "under_evaluation")
        self.assertEqual(notice.qualification_ids, self.eo | self.cnc)
        for qualification in self.eo | self.cnc:
            # evaluated for cause, still approved: the change is not in use yet
            self.assertIn(qualification.state, ("qualified", "conditional"))
            self.assertEqual(qualification.evaluation_type, "for_cause")
            evaluation = qualification.current_evaluation_id
            self.assertEqual(evaluation.evaluation_type, "for_cause")
            self.assertIn(notice.name, evaluation.trigger)
            self.assertIn(
                "start_evaluation",
                qualification.sudo().meddev_action_log_ids.mapped("action"),
            )
        # suspended, other scope, other supplier: untouched
        self.assertEqual(self.coating.state, "suspended")
        self.assertEqual(self.pkg.state, "qualified")
        self.assertEqual(self.other_eo.state, "qualified")
        # the evaluator may not accept; a QA manager accepts by signature
        with self.assertRaises(AccessError):
            notice.with_context(meddev_sign_action="accept").action_meddev_sign()
        signature = self.sign(notice, "accept", comment="Chamber validated")
        self.assertEqual(signature.meaning, "approved")
        self.assertEqual(notice.state, "accepted")

    def test_evaluator_cannot_accept_and_rejection_needs_reason(self):
        notice = self.new_notice(scopes=self.scope_pkg).with_user(
            self.users["qa_manager"]
        )
        notice.action_evaluate()
        self.assertEqual(notice.qualification_ids, self.pkg)
        with self.raises(UserError, "segregation of duties"):
            self.sign(notice, "accept")
        with self.raises(UserError, "needs a reason"):
            self.sign(notice, "reject", role="quality_director")
        self.sign(
            notice,
            "reject",
            role="quality_director",
            comment="New film supplier not qualified",
        )
        self.assertEqual(notice.state, "rejected")

    def test_scopes_required_and_portal_scope(self):
        notice = self.Notice.with_user(self.users["qa_engineer"]).create(
            {
                "partner_id": self.sterilizer.id,
                "change_type": "organisation",
                "description": "New quality manager.",
            }
        )
        with self.raises(UserError, "scopes"):
            notice.with_user(self.users["qa_engineer"]).action_evaluate()
        contact = self.env["res.partner"].create(
            {"name": "Li Na", "parent_id": self.coater.id}
        )
        portal = new_test_user(
            self.env,
            login="test_md_sup_portal_notice",
            groups=PORTAL_GROUPS,
            partner_id=contact.id,
        )
        with self.assertRaises(AccessError):
            notice.with_user(portal).read(["state"])
        self.assertFalse(self.Notice.with_user(portal).search([]))
