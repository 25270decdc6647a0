from odoo import api, fields, models
from odoo.exceptions import UserError

# the first severity of a rejected lot, by the worst defect class found
SEVERITY_BY_CLASS = (("critical", "4"), ("major", "3"), ("minor", "2"))


class QcInspection(models.Model):
    """A rejected lot opens its exception, which holds the lot from then on
    (its dispositions decide); a re-inspection follows a finished rework."""

    _inherit = "qc.inspection"

    meddev_nonconformance_ids = fields.One2many(
        "meddev.nonconformance", "inspection_id", string="Exceptions", readonly=True
    )

    @api.depends(
        "meddev_state",
        "meddev_plan_id",
        "meddev_reinspection_ids",
        "meddev_nonconformance_ids.state",
    )
    def _compute_holds(self):
        result = super()._compute_holds()
        for inspection in self.filtered("meddev_holds"):
            # the rejected lot's exception holds it now, quantity by quantity
            handed_over = inspection.meddev_state == "rejected" and any(
                nc.state != "cancel" for nc in inspection.meddev_nonconformance_ids
            )
            if handed_over:
                inspection.meddev_holds = False
        return result

    def _meddev_on_rejected(self):
        result = super()._meddev_on_rejected()
        # the server opens the exception of the rejected lot for the signer
        self.env["meddev.nonconformance"].sudo().create(
            [inspection._meddev_nonconformance_values() for inspection in self]
        )
        return result

    def _meddev_nonconformance_values(self):
        self.ensure_one()
        severity = next(
            (code for klass, code in SEVERITY_BY_CLASS if self[f"defects_{klass}"]),
            False,
        )
        return {
            "type_id": self.env.ref(
                "meddev_quality.nonconformance_type_material_lot"
            ).id,
            "source": "inspection",
            "company_id": self.company_id.id,
            "description": self.env._(
                "Lot inspection %(inspection)s rejected the lot.\n%(why)s",
                inspection=self.name,
                why=self.meddev_decision_reason or "",
            ),
            "occurred_on": self.meddev_inspected_on or fields.Datetime.now(),
            "detected_by_id": (self.meddev_inspector_id or self.env.user).id,
            "how_detected": self.env._("Incoming lot inspection"),
            "product_id": self.product_id.id,
            "lot_ids": [fields.Command.set(self.lot_id.ids)],
            "quantity": self.qty,
            "partner_id": self.meddev_partner_id.id,
            "job_id": self.meddev_job_id.id,
            "inspection_id": self.id,
            "severity": severity or "3",
        }

    def _meddev_check_reinspection(self):
        """A rejected lot is re-inspected once its exception is confirmed (the
        MRB has the case) and no rework it decided is still under way."""
        result = super()._meddev_check_reinspection()
        for inspection in self:
            exceptions = inspection.meddev_nonconformance_ids.filtered(
                lambda nc: nc.state != "cancel"
            )
            unconfirmed = exceptions.filtered(lambda nc: nc.state == "new")
            reworking = exceptions.disposition_ids.filtered(
                lambda d: d.disposition == "rework" and d.state == "approved"
            )
            if unconfirmed or reworking:
                raise UserError(
                    self.env._(
                        "%(inspection)s: its rejected lot is re-inspected once "
                        "its exception %(exceptions)s is confirmed and the "
                        "rework it decided is done.",
                        inspection=inspection.name,
                        exceptions=", ".join(exceptions.mapped("name")),
                    )
                )
        return result
