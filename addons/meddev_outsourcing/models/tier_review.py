from odoo import api, models
from odoo.exceptions import UserError

# in the cursor's cache (never in a context an RPC caller controls): the
# records whose approval tiers are being worked by base_tier_validation's own
# methods (request, validate, reject, restart) or by their guarded write
TIER_KEY = "meddev_outsourcing_tier_operation"
# what a review decides or is about; its comment stays the reviewer's to write
GUARDED_FIELDS = frozenset(
    {
        "status",
        "done_by",
        "reviewed_date",
        "res_id",
        "model",
        "definition_id",
        "sequence",
        "review_type",
        "reviewer_id",
        "reviewer_group_id",
        "approve_sequence",
        "approve_sequence_bypass",
    }
)


def tier_operation(records, method, *args, **kwargs):
    """Run ``method`` with the approval tiers of ``records`` open to it."""
    marks = {(records._name, record_id) for record_id in records.ids}
    ops = records.env.cr.cache.setdefault(TIER_KEY, set())
    ops.update(marks)
    try:
        return method(*args, **kwargs)
    finally:
        ops.difference_update(marks)


class TierReview(models.Model):
    """The reviews of a stage-controlled record's approval tiers change only
    through OCA base_tier_validation's methods on the record (request,
    validate as a reviewer, reject, restart): OCA lets every internal user
    create, write and delete reviews, which would approve a tier nobody
    reviewed."""

    _inherit = "tier.review"

    def _meddev_guarded(self, pairs):
        """The (model, id) of ``pairs`` whose reviews are guarded now."""
        if self.env.su:
            return set()
        ops = self.env.cr.cache.get(TIER_KEY, set())
        return {
            (model, res_id)
            for model, res_id in pairs
            if model in self.env
            and "meddev_allowed_actions" in self.env[model]._fields
            and (model, res_id) not in ops
        }

    def _meddev_refuse(self, pairs):
        if self._meddev_guarded(pairs):
            raise UserError(
                self.env._(
                    "Approval tiers of a controlled record are requested, "
                    "validated and rejected on the record by its reviewers, not "
                    "written directly."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_refuse(
            {(vals.get("model"), vals.get("res_id")) for vals in vals_list}
        )
        return super().create(vals_list)

    def write(self, vals):
        if GUARDED_FIELDS.intersection(vals):
            self._meddev_refuse({(review.model, review.res_id) for review in self})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_through_the_record(self):
        self._meddev_refuse({(review.model, review.res_id) for review in self})
