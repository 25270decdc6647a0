import base64
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"
PDF = base64.b64encode(b"%PDF-1.4 renewed certificate")


@tagged("post_install", "-at_install")
class TestSupplierPortal(MeddevSupplierCase):
    """What the supplier's portal user does with the records of its company:
    reads them (never another supplier's), uploads a renewed certificate that
    changes nothing until QA accepts it, answers the findings addressed to it
    (never grades or closes them), and notifies a change, received by QA."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.portal_eo = new_test_user(
            cls.env,
            login="test_md_portal_eo",
            groups=PORTAL_GROUPS,
            partner_id=Partner.create(
                {"name": "Ma Jun", "parent_id": cls.sterilizer.id}
            ).id,
        )
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.coating = cls.qualified(cls.coater, cls.scope_coating)
        cls.iso = cls.Certificate.create(
            {
                "partner_id": cls.sterilizer.id,
                "cert_type": "iso13485",
                "number": "Q5 1234 OLD",
                "issuer": "TÜV SÜD",
                "expiry_date": cls.today + timedelta(days=20),
            }
        )
        cls.coater_licence = cls.Certificate.create(
            {
                "partner_id": cls.coater.id,
                "cert_type": "business_licence",
                "number": "91320214MA1XXXXX0Q",
            }
        )
        Audit = cls.env["meddev.supplier.audit"]
        Finding = cls.env["meddev.supplier.audit.finding"]
        audits = Audit.create(
            [
                {
                    "partner_id": partner.id,
                    "planned_date": cls.today,
                    "lead_auditor_id": cls.users["qa_engineer"].id,
                }
                for partner in (cls.sterilizer, cls.coater)
            ]
        )
        cls.finding, cls.coater_finding = Finding.create(
            [
                {
                    "audit_id": audit.id,
                    "description": "Biological indicators not logged per load.",
                    "classification": "major",
                    "responsible": "supplier",
                }
                for audit in audits
            ]
        )
        # reported: the findings are shown to the supplier (as the server
        # does at the signed step)
        audits.sudo().with_context(audit_reason="test set-up").write(
            {"state": "reported", "result": "passed_with_findings"}
        )

    def renewal(self, user=None, **values):
        """The renewed ISO 13485 certificate, uploaded by ``user``."""
        Certificate = self.Certificate.with_user(user or self.portal_eo)
        created = Certificate.create(
            {
                "partner_id": self.sterilizer.id,
                "cert_type": "iso13485",
                "number": "Q5 1234 NEW",
                "issuer": "TÜV SÜD",
                "issue_date": self.today,
                "expiry_date": self.today + timedelta(days=3 * 365),
                "renewal_of_id": self.iso.id,
                "attachment": PDF,
                "attachment_filename": "iso13485.pdf",
                **values,
            }
        )
        return created.with_env(self.env)

    # ------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------
    def test_reads_own_records_only(self):
        user = self.portal_eo
        self.assertEqual(self.Qualification.with_user(user).search([]), self.eo)
        # the risk class is shown on the portal; the notes are not
        self.assertEqual(self.eo.with_user(user).risk_class, "A")
        with self.assertRaises(AccessError):
            self.eo.with_user(user).read(["notes"])
        self.assertEqual(self.Certificate.with_user(user).search([]), self.iso)
        Finding = self.env["meddev.supplier.audit.finding"].with_user(user)
        self.assertEqual(Finding.search([]), self.finding)
        for record in (self.coating, self.coater_licence, self.coater_finding):
            with self.subTest(record=record), self.assertRaises(AccessError):
                record.with_user(user).read(["display_name"])

    # ------------------------------------------------------------------
    # certificates
    # ------------------------------------------------------------------
    def test_renewal_changes_nothing_until_accepted(self):
        before = self.eo.earliest_certificate_expiry
        self.assertEqual(self.eo.certificate_ids, self.iso)
        renewal = self.renewal()
        self.assertEqual(renewal.review_state, "pending")
        self.assertFalse(renewal.active)
        # nothing counts it: the qualification, the supplier's certificates,
        # the expiry check
        self.eo.invalidate_recordset()
        self.assertEqual(self.eo.certificate_ids, self.iso)
        self.assertEqual(self.eo.earliest_certificate_expiry, before)
        self.assertEqual(self.eo.state, "qualified")
        self.assertTrue(self.iso.active)
        self.assertNotIn(renewal, self.Certificate.search([]))
        self.assertNotIn(renewal, self.iso._other_valid_certificates())
        # QA is told: a to-do per QA manager, a note on both certificates
        self.assertEqual(
            renewal.activity_ids.user_id,
            self.env.ref("meddev_base.group_meddev_qa_manager").users.filtered(
                lambda u: not u.share and u.active
            ),
        )
        self.assertIn("pending review", self.iso.message_ids[0].body)
        # the supplier reads its upload, pending
        self.assertEqual(renewal.with_user(self.portal_eo).review_state, "pending")

        renewal.with_user(self.users["qa_engineer"]).action_accept_renewal()
        self.assertEqual(renewal.review_state, "accepted")
        self.assertTrue(renewal.active)
        self.assertFalse(self.iso.active)
        self.assertEqual(self.iso.superseded_by_id, renewal)
        self.eo.invalidate_recordset()
        self.assertEqual(self.eo.certificate_ids, renewal)
        self.assertEqual(self.eo.earliest_certificate_expiry, renewal.expiry_date)
        self.assertFalse(renewal.activity_ids)
        # in the audit trail
        entries = self.env["meddev.audit.entry"].search(
            [("res_model", "=", renewal._name), ("res_id", "=", renewal.id)]
        )
        self.assertIn("review_state", " ".join(entries.mapped("changes_json")))

    def test_supplier_cannot_accept_its_renewal(self):
        renewal = self.renewal()
        portal = renewal.with_user(self.portal_eo)
        with self.assertRaises(AccessError):
            portal.action_accept_renewal()
        with self.assertRaises(AccessError):
            portal.write({"review_state": "accepted"})
        with self.assertRaises(AccessError):
            portal.write({"active": True})
        self.assertEqual(renewal.review_state, "pending")
        self.assertFalse(renewal.active)
        # nor upload one accepted, or set what QA records
        for values in ({"review_state": "accepted"}, {"active": True}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.renewal(number="Q5 FORCED", **values)
        with self.assertRaises(AccessError):
            self.renewal(last_alert_threshold=0)

    def test_renewal_of_another_supplier_refused(self):
        with self.assertRaises(AccessError):
            self.renewal(partner_id=self.coater.id, renewal_of_id=False)
        with self.assertRaises(ValidationError):
            self.renewal(renewal_of_id=self.coater_licence.id)
        with self.assertRaises(ValidationError):
            self.renewal(attachment=False)

    def test_rejected_with_a_reason_the_supplier_reads(self):
        renewal = self.renewal()
        qa = renewal.with_user(self.users["qa_engineer"])
        with self.raises(UserError, "review comment"):
            qa.action_reject_renewal()
        qa.review_comment = "Scan is illegible; upload the certificate PDF."
        qa.action_reject_renewal()
        self.assertEqual(renewal.review_state, "rejected")
        self.assertFalse(renewal.active)
        self.assertTrue(self.iso.active)
        self.assertEqual(
            renewal.with_user(self.portal_eo).review_comment,
            "Scan is illegible; upload the certificate PDF.",
        )
        with self.raises(UserError, "not pending review"):
            qa.action_accept_renewal()

    # ------------------------------------------------------------------
    # findings
    # ------------------------------------------------------------------
    def test_supplier_answers_a_finding(self):
        portal = self.finding.with_user(self.portal_eo)
        portal.write(
            {
                "root_cause": "No BI log form at the chamber.",
                "correction": "Logs rebuilt from the load records.",
                "corrective_action": "BI log form added to SOP-EO-07.",
            }
        )
        self.assertEqual(self.finding.reply_state, "submitted")
        self.assertEqual(self.finding.reply_date, self.today)
        self.assertIn("submitted its reply", self.finding.message_ids[0].body)
        # QA returns it with a comment, the supplier revises, QA accepts
        qa = self.finding.with_user(self.users["qa_engineer"])
        with self.raises(UserError, "QA comment"):
            qa.action_return_reply()
        qa.reply_review_comment = "Give the training records too."
        qa.action_return_reply()
        self.assertEqual(portal.reply_state, "returned")
        portal.write({"corrective_action": "SOP-EO-07 rev. C, operators trained."})
        self.assertEqual(self.finding.reply_state, "submitted")
        qa.action_accept_reply()
        self.assertEqual(self.finding.reply_state, "accepted")
        self.assertEqual(self.finding.state, "open")
        with self.raises(UserError, "can no longer be changed"):
            portal.write({"root_cause": "changed"})

    def test_supplier_cannot_grade_close_or_review_a_finding(self):
        portal = self.finding.with_user(self.portal_eo)
        for values in (
            {"classification": "minor"},
            {"evidence": "Closed by us."},
            {"reply_state": "accepted"},
            {"due_date": self.today + timedelta(days=90)},
            {"description": "Nothing found."},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                portal.write(values)
        with self.assertRaises(AccessError):
            portal.action_close()
        portal.write({"root_cause": "No log form."})
        with self.assertRaises(AccessError):
            portal.action_accept_reply()
        # nor another supplier's finding
        with self.assertRaises(AccessError):
            self.coater_finding.with_user(self.portal_eo).write(
                {"root_cause": "Not ours."}
            )
        self.assertEqual(self.finding.classification, "major")
        self.assertEqual(self.finding.state, "open")
        self.assertEqual(self.finding.reply_state, "submitted")

    # ------------------------------------------------------------------
    # change notices
    # ------------------------------------------------------------------
    def test_supplier_notifies_a_change(self):
        Notice = self.env["meddev.supplier.change.notice"].with_user(self.portal_eo)
        notice = Notice.create(
            {
                "partner_id": self.sterilizer.id,
                "change_type": "equipment",
                "description": "New EO chamber (chamber 3).",
                "reason": "Capacity.",
                "affected_products": "Sterile syringe 5 ml",
                "planned_date": self.today + timedelta(days=60),
                "scope_ids": [(6, 0, self.scope_eo.ids)],
            }
        )
        self.assertEqual(notice.state, "received")
        self.assertNotEqual(notice.name, "/")
        self.assertTrue(notice.activity_ids)
        self.assertEqual(Notice.search([]), notice)
        self.assertEqual(notice.with_user(self.portal_eo).state, "received")
        # not in a later state, not for another supplier, not QA's fields
        with self.assertRaises(AccessError):
            Notice.create(
                {
                    "partner_id": self.sterilizer.id,
                    "change_type": "site",
                    "description": "Moved.",
                    "state": "accepted",
                }
            )
        with self.assertRaises(AccessError):
            Notice.create(
                {
                    "partner_id": self.coater.id,
                    "change_type": "site",
                    "description": "Moved.",
                }
            )
        with self.assertRaises(AccessError):
            notice.with_user(self.portal_eo).write({"description": "changed"})
        with self.assertRaises(AccessError):
            notice.with_user(self.portal_eo).action_accept()
