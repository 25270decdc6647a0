from odoo.tests import TransactionCase, tagged

# the state of a record of each signed model -> the signed step that leads
# there (its signature must exist on the record); every signature rule must be
# named here, so that a new signed step is checked too
SIGNED_STATES = {
    "meddev.supplier.qualification": {
        "qualified": "approve",
        "conditional": "approve_conditional",
        "suspended": "suspend",
        "disqualified": "disqualify",
    },
    "meddev.supplier.evaluation": {"completed": "complete", "closed": "complete"},
    "meddev.supplier.quality.agreement": {
        "approved": "approve",
        "superseded": "approve",
        "terminated": "terminate",
    },
    "meddev.supplier.audit": {"closed": "close"},
    "meddev.supplier.change.notice": {"accepted": "accept", "rejected": "reject"},
    "meddev.role.grant": {
        "approved": "approve",
        "active": "approve",
        "expired": "approve",
        "rejected": "reject",
        "revoked": "revoke",
    },
    "meddev.sod.exception": {
        "approved": "approve",
        "rejected": "reject",
        "revoked": "revoke",
    },
    "meddev.audit.review": {"reviewed": "review"},
    "meddev.process.spec": {
        "effective": "approve",
        "superseded": "approve",
        "obsolete": "obsolete",
    },
    # a job that reached the supplier was released to it by signature
    "meddev.outsourcing.job": {
        "sent": "release_to_supplier",
        "acknowledged": "release_to_supplier",
        "in_process": "release_to_supplier",
        "returned": "release_to_supplier",
        "released": "release",
        "rejected": "reject",
    },
    # a lot inspection's decision is signed by the inspector; where the plan
    # asks for a review, the reviewer's signature is checked in SIGNED_STEPS
    "qc.inspection": {
        "recorded": "record",
        "accepted": "record",
        "rejected": "record",
        "cancel": "cancel_inspection",
    },
    # reduced inspection only on the QA manager's signature; tightened and
    # normal are reached by the rules too (their history is checked in
    # test_demo_quality.py)
    "meddev.sampling.switch": {"reduced": "to_reduced"},
    # exceptions: confirmed without a signature (open); closed and cancelled
    # by the QA manager's
    "meddev.nonconformance": {"closed": "close", "cancel": "cancel"},
    # the MRB's decision on a quantity, signed by the QA manager, then carried
    # out in stock; a critical concession's authorization in SIGNED_STEPS
    "meddev.nonconformance.disposition": {"approved": "approve", "done": "approve"},
    # a CAPA past its plan was approved by signature; its later signed steps
    # (implementation, effectiveness, returned plan) in SIGNED_STEPS
    "meddev.capa": {
        "implementation": "approve_plan",
        "effectiveness": "complete_implementation",
        "closed": "close",
        "cancel": "cancel",
    },
    "meddev.capa.extension": {"approved": "approve", "rejected": "reject"},
    # a SCAR issued to the supplier was signed when issued; its answer and
    # review in SIGNED_STEPS
    "meddev.scar": {
        "issued": "issue",
        "answered": "answer",
        "accepted": "accept",
        "cancel": "cancel",
    },
}
# signed steps that lead to no state of their own: {model: {action: the
# domain of the records that took the step}}
SIGNED_STEPS = {
    "meddev.nonconformance": {
        "regrade": [("grade_override", "!=", False)],
    },
    "meddev.nonconformance.disposition": {
        "authorize": [("authorized_by_id", "!=", False)],
    },
    "meddev.capa": {
        "complete_implementation": [("implemented_by_id", "!=", False)],
        "verify_effectiveness": [("verified_by_id", "!=", False)],
        # a failed check stays in the history; a returned plan leaves no
        # field (its reason is in the chatter)
        "fail_effectiveness": [
            ("effectiveness_check_ids.result", "=", "not_effective")
        ],
        "return_plan": [("id", "=", 0)],
    },
    "meddev.scar": {
        "issue": [("issued_by_id", "!=", False)],
        "answer": [("answered_by_id", "!=", False)],
        "return_to_supplier": [("return_count", ">", 0)],
    },
    "meddev.outsourcing.job": {
        "submit_record": [("record_submitted_on", "!=", False)],
        "accept_first_article": [("first_article_state", "=", "accepted")],
        "reject_first_article": [("first_article_state", "=", "rejected")],
        # cancelled by signature, or with its order by Odoo (no signature)
        "cancel": [("id", "=", 0)],
    },
    "qc.inspection": {
        "review": [("meddev_reviewer_id", "!=", False)],
        # the re-inspection is the QA manager's signed step on the original
        "reinspect": [("meddev_reinspection_ids", "!=", False)],
    },
    # the QA manager's signed switches, in the history
    "meddev.sampling.switch": {
        "to_normal": [
            (
                "event_ids",
                "any",
                [
                    ("severity_from", "=", "reduced"),
                    ("severity_to", "=", "normal"),
                    ("user_id", "!=", False),
                ],
            )
        ],
        "resume": [
            (
                "event_ids",
                "any",
                [("severity_from", "=", "discontinued"), ("user_id", "!=", False)],
            )
        ],
        "to_reduced": [
            (
                "event_ids",
                "any",
                [("severity_to", "=", "reduced"), ("user_id", "!=", False)],
            )
        ],
    },
}


def state_field(model):
    """The field holding the state that signatures lead to."""
    return getattr(model, "_meddev_state_field", None) or model._audit_state_field


@tagged("post_install", "-at_install")
class TestDemoTruthful(TransactionCase):
    """The demo database tells the truth: its records reached their states
    through the real steps and signatures of the demo users, the evidence they
    cite is on file, and no sample data of Odoo's shows."""

    def ref(self, xmlid):
        return self.env.ref(f"meddev_demo.{xmlid}")

    def test_demo_records_kept_on_upgrade(self):
        """The demo's records reached their states through the scenario: an
        upgrade of the suite does not load them again (which would put them
        back in their first state, or fail, and run the scenario twice)."""
        reloaded = self.env["ir.model.data"].search(
            [
                ("module", "=", "meddev_demo"),
                ("noupdate", "=", False),
                ("model", "not like", "ir.model%"),
            ]
        )
        self.assertFalse(reloaded.mapped("name"))

    def test_every_signature_rule_is_checked(self):
        rules = self.env["meddev.signature.rule"].search([])
        actions = {
            (model, action)
            for model, states in SIGNED_STATES.items()
            for action in states.values()
        } | {
            (model, action) for model, steps in SIGNED_STEPS.items() for action in steps
        }
        unnamed = {(rule.model, rule.action) for rule in rules} - actions
        self.assertFalse(unnamed, "signature rules missing from SIGNED_STATES")

    def test_no_record_in_a_signed_state_lacks_its_signature(self):
        Signature = self.env["meddev.signature"]
        checked = 0
        for model, states in SIGNED_STATES.items():
            field = state_field(self.env[model])
            records = self.env[model].search([(field, "in", list(states))])
            signatures = Signature.search(
                [("res_model", "=", model), ("res_id", "in", records.ids)]
            )
            signed = {(s.res_id, s.action) for s in signatures}
            for record in records:
                action = states[record[field]]
                self.assertIn(
                    (record.id, action),
                    signed,
                    f"{record.display_name} is {record[field]} without the "
                    f"signature of {action}",
                )
                self.assertFalse(
                    record.signature_mismatch,
                    f"{record.display_name}: signed content changed",
                )
                checked += 1
        # the demo has signed records of most kinds, among them 8 outsourcing
        # jobs and 4 decided lot inspections
        self.assertGreaterEqual(checked, 30)

    def test_signed_steps_without_a_state_of_their_own(self):
        Signature = self.env["meddev.signature"]
        checked = 0
        for model, steps in SIGNED_STEPS.items():
            for action, domain in steps.items():
                records = self.env[model].search(domain)
                signed = Signature.search(
                    [
                        ("res_model", "=", model),
                        ("res_id", "in", records.ids),
                        ("action", "=", action),
                    ]
                )
                self.assertEqual(set(signed.mapped("res_id")), set(records.ids), action)
                checked += len(records)
        # the process records of six jobs, two first articles accepted, the
        # reviews of four lot inspections
        self.assertGreaterEqual(checked, 12)

    def test_signed_by_the_demo_users_of_the_role(self):
        signers = {
            "qualification_cnc_machining": "user_qa_manager",
            "qualification_eo_sterilization": "user_qa_manager",
            "qualification_coating": "user_qa_manager",
            "qualification_rapid_plating": "user_qa_manager",
            "evaluation_puremed_sterilization": "user_qa_engineer",
            "quality_agreement_eo_sterilizer": "user_qa_manager",
            "sod_exception_night_shift": "user_director",
            "audit_eo_surveillance": "user_qa_manager",
        }
        for xmlid, signer in signers.items():
            record = self.ref(xmlid)
            self.assertEqual(record.signature_ids.signer_id, self.ref(signer), xmlid)
        # the state changes are in the audit trail under the same users
        entries = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "meddev.supplier.qualification"),
                ("res_id", "=", self.ref("qualification_eo_sterilization").id),
            ]
        )
        self.assertIn(self.ref("user_qa_engineer"), entries.user_id)
        self.assertIn(self.ref("user_qa_manager"), entries.user_id)
        self.assertEqual(self.ref("po_cnc_machining_1").state, "purchase")
        self.assertEqual(
            self.ref("role_grant_leave_cover").state,
            "submitted",
            "waits for the QA manager",
        )
        self.assertEqual(self.ref("sod_exception_night_shift").state, "approved")
        self.assertEqual(self.ref("audit_eo_surveillance").state, "closed")
        self.assertEqual(self.ref("audit_eo_finding_probes").state, "open")
        self.assertEqual(self.ref("change_notice_coating_powder").state, "received")
        review = self.env["meddev.audit.review"].search([("state", "=", "reviewed")])
        self.assertTrue(review)

    def test_the_evidence_cited_is_on_file(self):
        evaluation = self.ref("evaluation_puremed_sterilization")
        # closed by the QA manager's decision
        self.assertEqual(evaluation.state, "closed")
        self.assertEqual(evaluation.completed_by_id, self.ref("user_qa_engineer"))
        evidence = " ".join(evaluation.line_ids.mapped("evidence"))
        numbers = self.env["meddev.supplier.certificate"].search(
            [("partner_id", "=", self.ref("partner_puremed_sterilization").id)]
        )
        for number in ("CN-13485-2025-2210", "PV-EO-2026-07"):
            self.assertIn(number, evidence)
            self.assertIn(number, numbers.mapped("number"))
        # every approved supplier has the documents of its scope on file
        qualifications = self.env["meddev.supplier.qualification"].search(
            [("state", "in", ("qualified", "conditional"))]
        )
        self.assertEqual(len(qualifications), 4)
        for qualification in qualifications:
            self.assertFalse(
                qualification._meddev_missing_documents(),
                qualification.display_name,
            )
        # the back-up sterilizer among them, qualified by the QA manager
        self.assertFalse(
            self.ref("qualification_puremed_sterilization")._meddev_missing_documents()
        )
        eo_scope = self.env.ref("meddev_supplier.scope_eo_sterilization")
        self.assertEqual(
            set(eo_scope.required_document_ids.mapped("cert_type")),
            {"iso13485", "sterilization_validation"},
        )

    def test_only_the_demo_company_world(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.city, "Suzhou")
        self.assertTrue(company.phone.startswith("+86"))
        self.assertEqual(company.paperformat_id.format, "A4")
        Partner = self.env["res.partner"].with_context(active_test=False)
        for sample in ("Azure Interior", "Wood Corner", "Deco Addict", "Mitchell"):
            self.assertFalse(
                Partner.search([("name", "ilike", sample)]), f"{sample} shows"
            )
        self.assertFalse(self.env.ref("base.user_demo", raise_if_not_found=False))
        langs = self.env["res.lang"].search([]).mapped("code")
        self.assertIn("zh_CN", langs)
        self.assertIn("en_US", langs)
