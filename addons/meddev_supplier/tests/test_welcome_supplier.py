from datetime import timedelta

from odoo.tests import tagged

from .common import MeddevSupplierCase

EXPIRING_KEY = "supplier_certificate_expiring"
EXPIRED_KEY = "supplier_certificate_expired"
AUDIT_KEY = "supplier_audit_overdue"


@tagged("post_install", "-at_install")
class TestWelcomeSupplier(MeddevSupplierCase):
    """The supplier items of the welcome screen, counted as each user."""

    def work(self, role):
        sections = self.env["meddev.welcome"].with_user(self.users[role]).my_work()
        return {
            section["key"]: {item["key"]: item["count"] for item in section["items"]}
            for section in sections
        }

    def certificate(self, partner, number, expiry):
        return self.Certificate.with_user(self.users["qa_engineer"]).create(
            {
                "partner_id": partner.id,
                "cert_type": "iso13485",
                "number": number,
                "expiry_date": expiry,
                "scope_ids": [(6, 0, self.scope_eo.ids)],
            }
        )

    def test_certificates_for_qa_only(self):
        before = self.work("qa_engineer")["certificates"].get(EXPIRING_KEY, 0)
        self.certificate(self.coater, "Q5 COAT 001", self.today + timedelta(days=20))
        self.certificate(self.machining, "Q5 CNC 001", self.today + timedelta(days=200))
        expired = self.certificate(
            self.sterilizer, "Q5 EO 001", self.today - timedelta(days=3)
        )
        work = self.work("qa_engineer")
        self.assertEqual(work["certificates"][EXPIRING_KEY], before + 1)
        expired_before = work["overdue"][EXPIRED_KEY]
        # a buyer has no certificate section and no certificate to renew
        buyer = self.work("buyer")
        self.assertNotIn("certificates", buyer)
        self.assertNotIn(EXPIRED_KEY, buyer["overdue"])
        # renewed: no longer to renew
        self.certificate(
            self.sterilizer, "Q5 EO 002", self.today + timedelta(days=1000)
        )
        after = self.work("qa_manager")["overdue"].get(EXPIRED_KEY, 0)
        self.assertEqual(after, expired_before - 1)
        self.assertTrue(expired.exists())

    def test_overdue_audit_of_its_lead_auditor(self):
        eo = self.qualified(self.sterilizer, self.scope_eo)
        self.env["meddev.supplier.audit"].with_user(self.users["qa_engineer"]).create(
            {
                "partner_id": self.sterilizer.id,
                "scope_ids": [(6, 0, self.scope_eo.ids)],
                "qualification_id": eo.id,
                "audit_type": "on_site",
                "planned_date": self.today - timedelta(days=2),
                "lead_auditor_id": self.users["quality_director"].id,
            }
        )
        self.assertEqual(self.work("quality_director")["overdue"][AUDIT_KEY], 1)
        self.assertNotIn(AUDIT_KEY, self.work("qa_engineer")["overdue"])

    def test_decision_waits_for_a_completed_evaluation(self):
        key = "sign:meddev.supplier.qualification:approve"

        def waiting():
            return self.work("qa_manager")["sign"]

        before = waiting().get(key, 0)
        # a qualified supplier does not wait for a decision
        self.qualified(self.machining, self.scope_cnc)
        qualification = self.Qualification.with_user(self.users["qa_engineer"]).create(
            {
                "partner_id": self.coater.id,
                "scope_id": self.scope_coating.id,
                "risk_class": "A",
            }
        )
        qualification.action_start_evaluation()
        self.assertEqual(waiting().get(key, 0), before)
        # the evaluator's signed checklist recommends qualifying: it waits
        self.evaluate(qualification)
        self.assertEqual(waiting().get(key, 0), before + 1)
        # suspension is done on demand, never waiting
        self.assertNotIn("sign:meddev.supplier.qualification:suspend", waiting())
        # a buyer signs no decision
        self.assertNotIn(key, self.work("buyer")["sign"])
