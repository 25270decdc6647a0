from odoo import api, models

DEMO_PASSWORD = "meddev-demo"  # the demo users' password (README.md)

# answers of the EO checklist for the back-up sterilizer: {sequence: (score,
# evidence)}; the evidence cites the certificates on file
PUREMED_ANSWERS = {
    10: (
        "5",
        "SGS certificate CN-13485-2025-2210, scope includes EO "
        "sterilization services, valid to 2028-06.",
    ),
    20: ("5", "营业执照 91330400MA2B1XXXX checked, valid."),
    30: (
        "4",
        "Validation report PV-EO-2026-07 for the syringe family; load "
        "pattern B (24 cartons/pallet); half-cycle BI all negative.",
    ),
    40: (
        "4",
        "Cycles 2609-114/118/121 reviewed: 50 ± 3 °C, 60 % RH, 600 mg/L, "
        "6 h exposure; BI incubated 7 days.",
    ),
    50: (
        "5",
        "Residual EO 2.1 µg/g (limit 10), ECH 3.4 µg/g; aeration 10 days " "at 40 °C.",
    ),
    60: (
        "4",
        "Chamber 2 (20 m³) maintenance log up to date; 2 of 18 probes "
        "calibrated 2 weeks late, corrected.",
    ),
    70: ("5", "Separate in/out docks, red/green labels, released area locked."),
    80: (
        "4",
        "Procedure QP-12; last change (new gas supplier) notified to "
        "customers 2 months ahead.",
    ),
    90: (
        "4",
        "One aborted cycle in 2026 (power loss): customer informed in "
        "24 h, resterilized per validated re-exposure.",
    ),
    100: (
        "5",
        "Lot SY-2609-031 traced to cycle 2609-118, chamber 2, positions "
        "3-6; records kept 10 years.",
    ),
}


class MeddevDemoScenario(models.AbstractModel):
    """The demo company's records brought to their states the real way: each
    step is the action (and electronic signature, with the demo password) of
    the demo user whose role it is, so that the audit trail, the signatures
    and the action logs read as they would in use."""

    _name = "meddev.demo.scenario"
    _description = "Demo Scenario"

    @api.model
    def _run(self):
        self._qualify_suppliers()
        self._approve_quality_agreement()
        self._make_specs_effective()
        self._plan_inspections()
        self._confirm_orders()
        self._request_roles()
        self._audit_the_sterilizer()
        self._review_audit_trail()
        self._outsource()
        self._handle_quality_events()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _user(self, login):
        return self.env.ref(f"meddev_demo.user_{login}")

    def _as(self, xmlid, login):
        return self.env.ref(f"meddev_demo.{xmlid}").with_user(self._user(login))

    def _sign(self, record, action, comment=None):
        return record._meddev_sign(action, DEMO_PASSWORD, comment=comment)

    def _answer(self, evaluation, default, answers=None, summary=None):
        """The evaluator answers each criterion: ``answers`` by sequence,
        ``default`` (score, evidence) for the others."""
        answers = answers or {}
        for line in evaluation.line_ids:
            score, evidence = answers.get(line.sequence, default)
            line.write({"score": score, "evidence": evidence})
        if summary:
            evaluation.summary = summary

    def _evaluate(self, xmlid, default, answers=None, summary=None):
        """The QA engineer starts the evaluation, answers it and signs it
        complete; returns the evaluation."""
        qualification = self._as(xmlid, "qa_engineer")
        qualification.action_start_evaluation()
        evaluation = qualification.current_evaluation_id
        self._answer(evaluation, default, answers, summary)
        self._sign(evaluation, "complete")
        return evaluation

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------
    def _qualify_suppliers(self):
        """The approved supplier list: evaluated by the QA engineer, decided
        by the QA manager, each by signature."""
        seen = ("5", "Verified on site and in the records (现场及记录核实).")
        self._evaluate(
            "qualification_cnc_machining",
            seen,
            summary="On-site audit passed; thread gauge and Ra records reviewed "
            "(现场审核通过).",
        )
        self._sign(
            self._as("qualification_cnc_machining", "qa_manager"),
            "approve",
            comment="Initial qualification: on-site audit passed.",
        )
        self._evaluate(
            "qualification_eo_sterilization",
            seen,
            summary="EO validation per ISO 11135 reviewed (EO-VAL-2026-03); "
            "residual EO ≤ 10 µg/g for syringes.",
        )
        self._sign(
            self._as("qualification_eo_sterilization", "qa_manager"),
            "approve",
            comment="Initial qualification: validation and routine control reviewed.",
        )
        self._evaluate(
            "qualification_coating",
            ("3", "In place; records incomplete for 2 of 5 lots (记录不完整)."),
            answers={
                10: (
                    "4",
                    "TÜV SÜD certificate CN-13485-2023-0457, renewal audit "
                    "planned; expires in 20 days.",
                ),
            },
            summary="Adhesion and thickness records incomplete: conditional "
            "until the ISO 13485 certificate is renewed (有条件合格).",
        )
        self._sign(
            self._as("qualification_coating", "qa_manager"),
            "approve_conditional",
            comment="Conditional: adhesion test (≥ 15 MPa) on every lot until the "
            "ISO 13485 certificate is renewed.",
        )
        self._evaluate(
            "qualification_rapid_plating",
            ("3", "In place, minor gaps."),
            answers={
                40: (
                    "1",
                    "Coating thickness out of 50–80 µm on 3 of 5 audit "
                    "samples; no SPC on the spray parameters.",
                ),
            },
            summary="Process not under control: not approvable (不合格).",
        )
        self._sign(
            self._as("qualification_rapid_plating", "qa_manager"),
            "disqualify",
            comment="Disqualified: coating thickness out of 50–80 µm on 3 of 5 "
            "audit samples (取消资格).",
        )
        evaluation = self._evaluate(
            "qualification_puremed_sterilization",
            ("4", ""),
            answers=PUREMED_ANSWERS,
            summary="On-site audit 2 days; validation and routine control in "
            "order. Two probes calibrated late (corrected). Recommended as "
            "back-up EO sterilizer for the syringe family (建议作为备用灭菌供方).",
        )
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "meddev_demo.evaluation_puremed_sterilization",
                    "record": evaluation,
                    "noupdate": True,
                }
            ]
        )
        self._evaluate_second_machining_source()

    def _evaluate_second_machining_source(self):
        """Evaluated and signed by the QA engineer; the decision is left to the
        QA manager (the demo's approval to try)."""
        evaluation = self._evaluate(
            "qualification_kunshan_machining",
            ("4", "Seen on site; records sampled (现场查看，抽查记录)."),
            answers={
                10: ("5", "TÜV Rheinland certificate CN-13485-2025-3307, valid."),
                40: ("5", "Thread OD Cpk 1.67 on 3 lots; Ra ≤ 0.8 µm on 30 pcs."),
                70: ("5", "Lots segregated per customer; passivation log kept."),
            },
            summary="Site audit of the Swiss-type lathes and passivation line: "
            "recommended as second source for the bone screws (建议作为第二供方).",
        )
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "meddev_demo.evaluation_kunshan_machining",
                    "record": evaluation,
                    "noupdate": True,
                }
            ]
        )

    def _approve_quality_agreement(self):
        agreement = self._as("quality_agreement_eo_sterilizer", "qa_engineer")
        agreement.action_submit()
        self._sign(
            agreement.with_user(self._user("qa_manager")),
            "approve",
            comment="Reviewed with the supplier's quality manager Ma Jun.",
        )

    def _confirm_orders(self):
        self._as("po_cnc_machining_1", "buyer").button_confirm()

    def _request_roles(self):
        self._as("role_grant_leave_cover", "production").action_submit()
        exception = self._as("sod_exception_night_shift", "qms_admin")
        exception.action_submit()
        self._sign(
            exception.with_user(self._user("director")),
            "approve",
            comment="Approved for the night shift until a second inspector is "
            "hired; next-morning re-check by QA.",
        )

    def _audit_the_sterilizer(self):
        audit = self._as("audit_eo_surveillance", "qa_engineer")
        audit.action_start()
        audit.write(
            {
                "result": "passed_with_findings",
                "summary": "Surveillance audit of chamber 2 and the release "
                "records: one minor finding (probe calibration), one "
                "observation (监督审核：一项轻微不符合，一项观察项).",
            }
        )
        audit.action_report()
        self._sign(
            audit.with_user(self._user("qa_manager")),
            "close",
            comment="Report reviewed; the minor finding is followed up by the "
            "supplier.",
        )

    def _review_audit_trail(self):
        review = (
            self.env["meddev.audit.review"]
            .with_user(self._user("qa_manager"))
            .create({})
        )
        review.notes = (
            "First review after the system was set up: supplier qualifications, "
            "the quality agreement and the role requests checked against their "
            "signatures (系统上线后的首次审计追踪审核)."
        )
        self._sign(review, "review", comment="No anomaly found.")
