from odoo import fields, models

UNTRAINED_DOCUMENT = "SOP-QA-999"


class MeddevStageTester(models.Model):
    """A model of the tests whose actions are controlled by stage permissions.

    ``validation_status`` stands in for the approval tiers of OCA
    ``base_tier_validation``, which meddev_base does not depend on.
    """

    _name = "meddev.stage.tester"
    _inherit = ["meddev.stage.permission.mixin"]
    _description = "Stage-controlled test record"
    # it checks training (_meddev_check_training below)
    _meddev_training_enforced = True
    _audit_controlled_states = ("released",)
    # written by the approve step only
    _meddev_server_fields = ("approved_on",)
    _meddev_actions = {
        "submit": "Submit",
        "approve": "Approve",
        "release": "Release",
        "cancel": "Cancel",
    }

    name = fields.Char(required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("released", "Released"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
    )
    validation_status = fields.Selection(
        [("no", "No"), ("waiting", "Waiting"), ("validated", "Validated")],
        default="no",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    approved_on = fields.Datetime()

    def action_submit(self):
        self._meddev_check_action("submit")
        self.write({"state": "submitted"})

    def action_approve(self):
        self._meddev_check_action("approve")
        self._meddev_server_write(
            {"state": "approved", "approved_on": fields.Datetime.now()}
        )

    def action_release(self):
        self._meddev_check_action("release")
        self.write({"state": "released"})

    def action_cancel(self):
        self._meddev_check_action("cancel")
        self.write({"state": "cancelled"})

    def _meddev_check_training(self, user, permission):
        # nobody is trained on the untrained document
        return permission.training_document_ref != UNTRAINED_DOCUMENT
