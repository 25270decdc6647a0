from datetime import timedelta

from odoo import api, fields, models

from .meddev_supplier_certificate import EXPIRING_DAYS


class MeddevWelcome(models.AbstractModel):
    """Supplier work on the welcome screen: the user's audits and audit
    findings past their date and, for QA, suppliers overdue for re-evaluation,
    expired certificates and certificates expiring within the alert window."""

    _inherit = "meddev.welcome"

    @api.model
    def _work_sections(self):
        sections = super()._work_sections()
        self._section(sections, "overdue")["items"] += self._supplier_overdue_items()
        if self.env.user.has_group("meddev_base.group_meddev_qa_engineer"):
            sections.append(
                {
                    "key": "certificates",
                    "title": self.env._("Supplier certificates expiring"),
                    "empty": self.env._(
                        "No supplier certificate expires within %(days)s days.",
                        days=EXPIRING_DAYS,
                    ),
                    "items": [self._expiring_certificate_item()],
                }
            )
        return sections

    @api.model
    def _today(self):
        return fields.Date.context_today(self)

    @api.model
    def _supplier_overdue_items(self):
        today = fields.Date.to_string(self._today())
        items = [
            self._item(
                "supplier_audit_overdue",
                self.env._("Your supplier audits past their planned date"),
                "meddev.supplier.audit",
                [
                    ("lead_auditor_id", "=", self.env.uid),
                    ("state", "=", "planned"),
                    ("planned_date", "<", today),
                ],
            ),
            self._item(
                "supplier_finding_overdue",
                self.env._("Findings of your audits past their due date"),
                "meddev.supplier.audit.finding",
                [
                    ("audit_id.lead_auditor_id", "=", self.env.uid),
                    ("state", "=", "open"),
                    ("due_date", "<", today),
                ],
            ),
        ]
        if self.env.user.has_group("meddev_base.group_meddev_qa_engineer"):
            items += [
                self._item(
                    "supplier_reevaluation_overdue",
                    self.env._("Suppliers overdue for re-evaluation"),
                    "meddev.supplier.qualification",
                    [
                        ("state", "in", ("qualified", "conditional")),
                        ("next_evaluation_date", "<", today),
                        ("current_evaluation_id", "=", False),
                    ],
                ),
                self._item(
                    "supplier_certificate_expired",
                    self.env._("Expired supplier certificates not yet renewed"),
                    "meddev.supplier.certificate",
                    [("id", "in", self._unrenewed_certificates().ids)],
                ),
            ]
        return items

    @api.model
    def _unrenewed_certificates(self):
        """Expired certificates of which the supplier has no certificate of
        the same type in force."""
        today = fields.Date.to_string(self._today())
        Certificate = self.env["meddev.supplier.certificate"]
        if not Certificate.has_access("read"):
            return Certificate
        expired = Certificate.search([("expiry_date", "<", today)])
        in_force = Certificate.search(
            [
                ("partner_id", "in", expired.partner_id.ids),
                ("cert_type", "in", list(set(expired.mapped("cert_type")))),
                "|",
                ("expiry_date", "=", False),
                ("expiry_date", ">=", today),
            ]
        )
        renewed = {(c.partner_id, c.cert_type) for c in in_force}
        return expired.filtered(lambda c: (c.partner_id, c.cert_type) not in renewed)

    @api.model
    def _expiring_certificate_item(self):
        today = self._today()
        return self._item(
            "supplier_certificate_expiring",
            self.env._(
                "Supplier certificates expiring within %(days)s days",
                days=EXPIRING_DAYS,
            ),
            "meddev.supplier.certificate",
            [
                ("expiry_date", ">=", fields.Date.to_string(today)),
                (
                    "expiry_date",
                    "<=",
                    fields.Date.to_string(today + timedelta(days=EXPIRING_DAYS)),
                ),
            ],
        )
