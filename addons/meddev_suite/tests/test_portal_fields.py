from odoo import fields
from odoo.tests import HttpCase, JsonRpcException, tagged

LOGIN = "supplier_eo"
PASSWORD = "meddev-demo"
# what a supplier's portal user reads of each supplier record, besides id,
# display_name, the supplier (meddev_supplier_id) and active
WHITELIST = {
    "meddev.supplier.qualification": {
        "name",
        "partner_id",
        "scope_id",
        "state",
        "last_evaluation_date",
        "next_evaluation_date",
        "certificate_ids",
        "earliest_certificate_expiry",
        "risk_class",
    },
    "meddev.supplier.certificate": {
        "partner_id",
        "cert_type",
        "number",
        "issuer",
        "issue_date",
        "expiry_date",
        "attachment",
        "attachment_filename",
        "scope_ids",
        "state",
        "days_to_expiry",
        "review_state",
        "renewal_of_id",
        "review_comment",
    },
    "meddev.supplier.quality.agreement": {
        "name",
        "revision",
        "company_id",
        "partner_id",
        "scope_ids",
        "effective_date",
        "expiry_date",
        "approval_date",
        "our_signatory_name",
        "our_signatory_title",
        "supplier_signatory_name",
        "supplier_signatory_title",
        "terms",
        "line_ids",
        "state",
        "previous_agreement_id",
    },
    "meddev.supplier.quality.agreement.line": {
        "agreement_id",
        "state",
        "sequence",
        "element_id",
        "clause_ref",
        "responsibility",
        "requirement",
        "notes",
    },
    "meddev.supplier.audit": {
        "name",
        "partner_id",
        "scope_ids",
        "audit_type",
        "planned_date",
        "done_date",
        "lead_auditor_id",
        "auditor_ids",
        "result",
        "state",
        "finding_ids",
    },
    "meddev.supplier.audit.finding": {
        "audit_id",
        "partner_id",
        "sequence",
        "description",
        "classification",
        "clause",
        "follow_up",
        "responsible",
        "due_date",
        "state",
        "closed_on",
        "is_overdue",
        "root_cause",
        "correction",
        "corrective_action",
        "reply_state",
        "reply_date",
        "reply_review_comment",
    },
    "meddev.supplier.change.notice": {
        "name",
        "partner_id",
        "scope_ids",
        "change_type",
        "description",
        "planned_date",
        "received_date",
        "state",
        "reason",
        "affected_products",
    },
}
ALWAYS = {"id", "display_name", "meddev_supplier_id", "active"}
# fields the supplier must never read, named so a regression is obvious
INTERNAL = {
    "meddev.supplier.qualification": {
        "notes",
        "current_evaluation_score",
        "current_evaluation_recommendation",
        "evaluation_ids",
        "signature_ids",
        "audit_entry_count",
        "meddev_action_log_ids",
        "message_ids",
    },
    "meddev.supplier.certificate": {
        "last_alert_threshold",
        "expiry_processed",
        "superseded_by_id",
    },
    "meddev.supplier.quality.agreement": {"user_id", "signature_ids", "review_due"},
    "meddev.supplier.audit": {"summary", "finding_count", "signature_ids"},
    "meddev.supplier.audit.finding": {"evidence"},
    "meddev.supplier.change.notice": {"qualification_ids", "signature_ids"},
}


@tagged("post_install", "-at_install")
class TestPortalFields(HttpCase):
    """Over JSON-RPC, as the demo EO sterilizer's portal user (supplier_eo),
    every field of each supplier record outside its whitelist is refused,
    every whitelisted field reads, and no refusal logs an error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        sterilizer = ref("meddev_demo.partner_eo_sterilizer")
        scope = ref("meddev_supplier.scope_eo_sterilization")
        qa_engineer = ref("meddev_demo.user_qa_engineer")
        audit = cls.env["meddev.supplier.audit"].create(
            {
                "partner_id": sterilizer.id,
                "scope_ids": [(6, 0, scope.ids)],
                "planned_date": fields.Date.today(),
                "lead_auditor_id": qa_engineer.id,
                "summary": "Internal: cycle records sloppy, watch closely.",
            }
        )
        Finding = cls.env["meddev.supplier.audit.finding"]
        cls.finding = Finding.create(
            {
                "audit_id": audit.id,
                "description": "Biological indicators not logged per load.",
                "classification": "minor",
                "responsible": "supplier",
                "follow_up": "Log every BI with the load number.",
                "evidence": "Internal: verified on the next visit.",
            }
        )
        cls.our_finding = Finding.create(
            {
                "audit_id": audit.id,
                "description": "Our purchase order lacked the EO cycle.",
                "responsible": "us",
            }
        )
        # reported: its findings are then shown to the supplier (as the
        # server does at the signed step)
        audit.sudo().with_context(audit_reason="test set-up").write(
            {"state": "reported", "result": "passed_with_findings"}
        )
        notice = cls.env["meddev.supplier.change.notice"].create(
            {
                "partner_id": sterilizer.id,
                "change_type": "equipment",
                "description": "New EO chamber (chamber 3).",
                "scope_ids": [(6, 0, scope.ids)],
            }
        )
        agreement = ref("meddev_demo.quality_agreement_eo_sterilizer")
        cls.records = {
            "meddev.supplier.qualification": ref(
                "meddev_demo.qualification_eo_sterilization"
            ),
            "meddev.supplier.certificate": ref("meddev_demo.certificate_eo_iso13485"),
            "meddev.supplier.quality.agreement": agreement,
            "meddev.supplier.quality.agreement.line": agreement.line_ids[:1],
            "meddev.supplier.audit": audit,
            "meddev.supplier.audit.finding": cls.finding,
            "meddev.supplier.change.notice": notice,
        }

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assert_refused(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        self.assertIn("AccessError", str(caught.exception))

    def test_every_field_of_every_supplier_record(self):
        self.authenticate(LOGIN, PASSWORD)
        with self.assertNoLogs(level="ERROR"):
            for model, record in self.records.items():
                self.assertTrue(record, model)
                allowed = WHITELIST[model] | ALWAYS
                self.assertTrue(INTERNAL.get(model, set()) <= set(record._fields))
                self.assertFalse(INTERNAL.get(model, set()) & allowed)
                for name in sorted(record._fields):
                    with self.subTest(model=model, field=name):
                        if name in allowed:
                            row = self.call(model, "read", record.ids, [name])
                            self.assertIn(name, row[0])
                        else:
                            self.assert_refused(model, "read", record.ids, [name])
                # what the fields list tells, and a read of all fields
                described = self.call(model, "fields_get", attributes=["type"])
                self.assertLessEqual(set(described), allowed, model)
                row = self.call(model, "read", record.ids)[0]
                self.assertLessEqual(set(row), allowed, model)
                self.assertIn("partner_id" if "partner_id" in allowed else "id", row)

    def test_internal_fields_not_searched_ordered_or_grouped(self):
        self.authenticate(LOGIN, PASSWORD)
        model = "meddev.supplier.qualification"
        own = self.records[model]
        self.assertEqual(
            [r["id"] for r in self.call(model, "search_read", [], ["state"])], own.ids
        )
        # an internal value is not guessed from what a search finds
        self.assert_refused(
            model, "search_read", [("evaluation_type", "=", "initial")], ["state"]
        )
        self.assert_refused(
            model, "search_count", [("current_evaluation_score", ">", 50)]
        )
        self.assert_refused(
            model, "search_read", [], ["state"], order="evaluation_type"
        )
        self.assert_refused(
            model,
            "read_group",
            [],
            ["evaluation_type"],
            ["evaluation_type"],
            lazy=False,
        )

    def test_findings_addressed_to_the_supplier_only(self):
        self.authenticate(LOGIN, PASSWORD)
        found = self.call(
            "meddev.supplier.audit.finding",
            "search_read",
            [("audit_id", "=", self.finding.audit_id.id)],
            ["description"],
        )
        self.assertEqual([r["id"] for r in found], self.finding.ids)
        self.assert_refused(
            "meddev.supplier.audit.finding",
            "read",
            self.our_finding.ids,
            ["description"],
        )
