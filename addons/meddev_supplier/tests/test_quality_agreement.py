from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"
REPORT = "meddev_supplier.action_report_meddev_supplier_quality_agreement"


@tagged("post_install", "-at_install")
class TestQualityAgreement(MeddevSupplierCase):
    """Supplier quality agreements: the responsibility matrix pre-filled from
    the QMS elements, submitted by a QA engineer, approved by the signature of
    a QA manager who did not submit it, superseded by a later revision,
    terminated with a reason; printed in English and Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["meddev.supplier.quality.agreement"]
        cls.Element = cls.env["meddev.supplier.qms.element"]
        cls.element_chg = cls.env.ref("meddev_supplier.qms_element_chg")
        cls.element_rec = cls.env.ref("meddev_supplier.qms_element_rec")
        cls.retired = cls.Element.create(
            {"code": "TEST-OLD", "name": "Retired element", "active": False}
        )
        cls.portal_eo = new_test_user(
            cls.env,
            login="test_md_agr_portal_eo",
            groups=PORTAL_GROUPS,
            partner_id=cls.env["res.partner"]
            .create({"name": "Ma Jun", "parent_id": cls.sterilizer.id})
            .id,
        )
        cls.portal_coater = new_test_user(
            cls.env,
            login="test_md_agr_portal_coater",
            groups=PORTAL_GROUPS,
            partner_id=cls.env["res.partner"]
            .create({"name": "Chen Li", "parent_id": cls.coater.id})
            .id,
        )

    def new_agreement(self, partner=None, scopes=None, role="qa_engineer"):
        user = self.users[role]
        return (
            self.Agreement.with_user(user)
            .create(
                {
                    "partner_id": (partner or self.sterilizer).id,
                    "scope_ids": [(6, 0, (scopes or self.scope_eo).ids)],
                    "effective_date": self.today,
                    "expiry_date": self.today + timedelta(days=3 * 365),
                }
            )
            .with_user(user)
        )

    def approved(self, partner=None, scopes=None):
        agreement = self.new_agreement(partner, scopes)
        agreement.action_submit()
        self.sign(agreement, "approve", comment="Reviewed with the supplier")
        self.assertEqual(agreement.state, "approved")
        return agreement

    def matrix(self, agreement, element):
        return agreement.line_ids.filtered(lambda line: line.element_id == element)

    # ------------------------------------------------------------------
    def test_new_agreement_lists_every_active_element(self):
        agreement = self.new_agreement()
        self.assertTrue(agreement.name.startswith("QAG/"))
        self.assertEqual(agreement.revision, 1)
        self.assertEqual(agreement.state, "draft")
        elements = self.Element.search([])
        self.assertGreaterEqual(len(elements), 15)
        self.assertEqual(agreement.line_ids.element_id, elements)
        self.assertNotIn(self.retired, agreement.line_ids.element_id)
        change = self.matrix(agreement, self.element_chg)
        self.assertEqual(change.responsibility, "shared")
        self.assertIn("prior written approval", change.requirement)
        self.assertEqual(
            self.matrix(agreement, self.element_rec).responsibility, "supplier"
        )
        # the form starts with the same matrix
        defaults = self.Agreement.with_user(self.users["qa_engineer"]).default_get(
            ["line_ids"]
        )
        self.assertEqual(len(defaults["line_ids"]), len(elements))
        # the partner's smart button counts it
        self.assertEqual(
            self.sterilizer.with_user(
                self.users["buyer"]
            ).meddev_quality_agreement_count,
            1,
        )

    def test_submit_needs_scopes_and_effective_date(self):
        agreement = self.new_agreement()
        agreement.write({"effective_date": False, "scope_ids": [Command.clear()]})
        with self.raises(UserError, "the scopes it covers; its effective date"):
            agreement.action_submit()
        self.assertEqual(agreement.state, "draft")
        agreement.write(
            {"effective_date": self.today, "scope_ids": [(4, self.scope_eo.id)]}
        )
        self.matrix(agreement, self.element_chg).requirement = " "
        with self.raises(UserError, "Change Notification and Approval"):
            agreement.action_submit()
        self.assertEqual(agreement.state, "draft")

    def test_approval_is_signed_by_another_qa_manager(self):
        agreement = self.new_agreement(role="qa_manager")
        agreement.action_submit()
        self.assertEqual(agreement.state, "under_review")
        # while under review the content is fixed: return it to draft
        with self.raises(UserError, "cannot be changed"):
            agreement.write({"terms": "<p>late change</p>"})
        with self.raises(UserError, "cannot be changed"):
            self.matrix(agreement, self.element_chg).responsibility = "supplier"
        # no approval without the signature
        with self.raises(UserError, "needs your electronic signature"):
            agreement.with_user(self.users["quality_director"]).action_approve()
        # a QA engineer may not sign it
        with self.assertRaises(AccessError):
            agreement.with_user(self.users["qa_engineer"]).with_context(
                meddev_sign_action="approve"
            ).action_meddev_sign()
        # whoever submitted it may not approve it
        with self.raises(UserError, "segregation of duties"):
            self.sign(agreement, "approve", role="qa_manager")
        self.assertEqual(agreement.state, "under_review")
        signature = self.sign(agreement, "approve", role="quality_director")
        self.assertEqual(signature.meaning, "approved")
        self.assertEqual(agreement.state, "approved")
        self.assertEqual(agreement.approval_date, self.today)
        self.assertFalse(agreement.signature_mismatch)
        self.assertEqual(
            sorted(agreement.sudo().meddev_action_log_ids.mapped("action")),
            ["approve", "submit"],
        )

    def test_return_to_draft(self):
        agreement = self.new_agreement()
        agreement.action_submit()
        with self.assertRaises(AccessError):
            agreement.with_user(self.users["buyer"]).action_reset()
        agreement.action_reset()
        self.assertEqual(agreement.state, "draft")
        agreement.write({"terms": "<p>Corrected</p>"})

    def test_buyer_and_auditor_read_only(self):
        agreement = self.approved()
        draft = self.new_agreement(partner=self.coater, scopes=self.scope_coating)
        for role in ("buyer", "auditor"):
            user = self.users[role]
            self.assertEqual(agreement.with_user(user).state, "approved")
            self.assertTrue(agreement.with_user(user).line_ids)
            with self.assertRaises(AccessError):
                draft.with_user(user).write({"terms": "<p>x</p>"})
            with self.assertRaises(AccessError):
                draft.line_ids[0].with_user(user).write({"notes": "x"})
            with self.assertRaises(AccessError):
                self.Agreement.with_user(user).create({"partner_id": self.coater.id})
            with self.assertRaises(AccessError):
                draft.with_user(user).action_submit()
            with self.assertRaises(AccessError):
                draft.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.element_chg.with_user(user).write({"name": "x"})
        # a QA engineer may not delete an agreement, nor change the elements
        with self.assertRaises(AccessError):
            draft.with_user(self.users["qa_engineer"]).unlink()
        with self.assertRaises(AccessError):
            self.element_chg.with_user(self.users["qa_engineer"]).write({"name": "x"})
        # a QA manager deletes drafts only
        with self.raises(UserError, "Only draft"):
            agreement.with_user(self.users["qa_manager"]).with_context(
                audit_reason="cleanup"
            ).unlink()
        draft.with_user(self.users["qa_manager"]).unlink()

    def test_portal_reads_own_approved_agreements_only(self):
        agreement = self.approved()
        draft = self.new_agreement()
        coater = self.approved(partner=self.coater, scopes=self.scope_coating)
        Agreement = self.Agreement.with_user(self.portal_eo)
        self.assertEqual(Agreement.search([]), agreement)
        self.assertEqual(
            agreement.with_user(self.portal_eo).line_ids,
            agreement.line_ids,
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.portal_eo).read(["state"])
        with self.assertRaises(AccessError):
            coater.with_user(self.portal_eo).read(["name"])
        with self.assertRaises(AccessError):
            agreement.with_user(self.portal_coater).read(["name"])
        with self.assertRaises(AccessError):
            agreement.line_ids[0].with_user(self.portal_coater).read(["requirement"])
        with self.assertRaises(AccessError):
            agreement.with_user(self.portal_eo).with_context(
                audit_reason="portal edit"
            ).write({"terms": "<p>changed</p>"})

    def test_approved_content_changes_with_a_reason_only(self):
        agreement = self.approved()
        line = self.matrix(agreement, self.element_rec)
        with self.raises(ValidationError, "reason for change is required"):
            agreement.write({"expiry_date": self.today + timedelta(days=400)})
        with self.raises(ValidationError, "reason for change is required"):
            line.write({"requirement": "Keep records 5 years."})
        with self.raises(ValidationError, "reason for change is required"):
            agreement.write(
                {"line_ids": [(1, line.id, {"requirement": "Keep records 5 years."})]}
            )
        with self.raises(ValidationError, "reason for change is required"):
            agreement.write({"line_ids": [(0, 0, {"element_id": self.retired.id})]})
        self.assertIn("lifetime of the device", line.requirement)
        # the supplier and scopes are fixed: a new revision covers others
        with self.raises(UserError, "fixed once it is submitted"):
            agreement.with_context(audit_reason="wrong scope").write(
                {"scope_ids": [(4, self.scope_cnc.id)]}
            )
        # with a reason (the form's field), recorded in the audit trail; the
        # signature no longer matches the changed matrix
        agreement.write(
            {
                "audit_reason": "Retention aligned with the device lifetime (15 y)",
                "line_ids": [(1, line.id, {"requirement": "Keep records 15 years."})],
            }
        )
        self.assertEqual(line.requirement, "Keep records 15 years.")
        self.assertTrue(agreement.signature_mismatch)
        entry = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", line._name),
                ("res_id", "=", line.id),
                ("operation", "=", "write"),
            ]
        )
        self.assertEqual(
            entry.reason, "Retention aligned with the device lifetime (15 y)"
        )

    def test_new_revision_supersedes_the_approved_one(self):
        first = self.approved(scopes=self.scope_eo | self.scope_cnc)
        narrower = self.approved(scopes=self.scope_eo)
        other_scope = self.approved(scopes=self.scope_coating)
        other_supplier = self.approved(partner=self.coater, scopes=self.scope_eo)
        # approving the narrower one did not supersede the wider one
        self.assertEqual(first.state, "approved")
        with self.raises(UserError, "Only an approved agreement"):
            self.new_agreement().action_new_revision()
        with self.assertRaises(AccessError):
            first.with_user(self.users["buyer"]).action_new_revision()
        action = first.action_new_revision()
        revision = self.Agreement.browse(action["res_id"]).with_user(
            self.users["qa_engineer"]
        )
        self.assertEqual(revision.name, first.name)
        self.assertEqual(revision.revision, 2)
        self.assertEqual(revision.state, "draft")
        self.assertEqual(revision.previous_agreement_id, first)
        self.assertEqual(revision.scope_ids, first.scope_ids)
        self.assertEqual(
            revision.line_ids.mapped("requirement"),
            first.line_ids.mapped("requirement"),
        )
        self.assertFalse(revision.signature_ids)
        with self.raises(UserError, "already being prepared"):
            first.action_new_revision()
        revision.write({"effective_date": self.today + timedelta(days=1)})
        revision.action_submit()
        self.sign(revision, "approve")
        self.assertEqual(revision.state, "approved")
        # the previous revision and the agreement for fewer scopes are
        # superseded; other scopes and other suppliers are not
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.superseded_by_id, revision)
        self.assertEqual(narrower.state, "superseded")
        self.assertEqual(other_scope.state, "approved")
        self.assertEqual(other_supplier.state, "approved")
        self.assertIn("supersede", first.sudo().meddev_action_log_ids.mapped("action"))
        self.assertFalse(first.signature_mismatch)
        # history: not changed, not even with a reason
        with self.raises(UserError, "cannot be changed"):
            first.with_context(audit_reason="fix").write({"terms": "<p>x</p>"})
        with self.raises(UserError, "cannot be changed"):
            first.line_ids[0].with_context(audit_reason="fix").write({"notes": "x"})
        with self.raises(UserError, "Only an approved agreement"):
            first.action_new_revision()

    def test_termination_is_signed_with_a_reason(self):
        agreement = self.approved()
        with self.raises(UserError, "Termination needs a reason"):
            self.sign(agreement, "terminate")
        self.assertEqual(agreement.state, "approved")
        with self.assertRaises(AccessError):
            agreement.with_context(meddev_sign_action="terminate").action_meddev_sign()
        signature = self.sign(
            agreement,
            "terminate",
            comment="Supplier disqualified: EO validation lapsed",
        )
        self.assertEqual(signature.meaning, "revoked")
        self.assertEqual(agreement.state, "terminated")
        self.assertEqual(
            agreement.termination_reason, "Supplier disqualified: EO validation lapsed"
        )
        self.assertEqual(agreement.termination_date, self.today)
        # and the state never changes without the action
        with self.raises(UserError, "only through its actions"):
            agreement.with_context(audit_reason="reopen").write({"state": "approved"})

    def test_review_due_and_reminder(self):
        due = self.new_agreement()
        due.expiry_date = self.today + timedelta(days=10)
        due.action_submit()
        self.sign(due, "approve")
        later = self.approved(partner=self.coater, scopes=self.scope_coating)
        self.assertTrue(due.review_due)
        self.assertFalse(later.review_due)
        found = self.Agreement.search([("review_due", "=", True)])
        self.assertIn(due, found)
        self.assertNotIn(later, found)
        self.assertIn(later, self.Agreement.search([("review_due", "=", False)]))
        self.Agreement._cron_review_due()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", due._name), ("res_id", "=", due.id)]
        )
        self.assertEqual(activities.user_id, self.users["qa_engineer"])
        self.assertEqual(activities.date_deadline, due.expiry_date)
        self.Agreement._cron_review_due()
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", due._name), ("res_id", "=", due.id)]
            ),
            1,
        )
        self.assertFalse(due.signature_mismatch)

    def test_pdf_is_bilingual(self):
        agreement = self.approved()
        agreement.with_context(audit_reason="Signatories named").write(
            {"our_signatory_name": "Sun Hua", "supplier_signatory_name": "Ma Jun"}
        )
        # the labels are translated from the module's zh_CN.po, whether or not
        # Chinese is installed
        labels = agreement._meddev_report_labels()
        self.assertEqual(labels["matrix"], ("Responsibility Matrix", "责任矩阵"))
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, agreement.ids
        )
        html = html.decode()
        for text in (
            "Responsibility Matrix",
            "责任矩阵",
            "Company Stamp",
            "公司盖章",
            "Change Notification and Approval",
            "prior written approval",
            agreement.name,
            "Sun Hua",
            self.users["qa_manager"].name,
        ):
            self.assertIn(text, html)
        # the element names in Chinese once the language is installed
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["meddev_supplier"], ["zh_CN"], overwrite=True
        )
        self.env.invalidate_all()
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, agreement.ids
        )
        html = html.decode()
        self.assertIn("Change Notification and Approval", html)
        self.assertIn("变更通知与批准", html)
        # a requirement left as the element's default is printed in Chinese too
        self.assertIn("prior written approval", html)
        self.assertIn("未经制造商事先书面批准", html)
        # the supplier's portal user prints its approved agreement too
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.portal_eo)
            ._render_qweb_html(REPORT, agreement.ids)
        )
        self.assertIn("责任矩阵", html.decode())
