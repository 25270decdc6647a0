from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Contacts that quality records refer to are not merged: the merge
    rewrites their references in SQL (deleting rows it cannot move) and then
    deletes the merged contacts, behind the records' own rules."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        merged_away = self._meddev_merged_away(partner_ids, dst_partner)
        merged_away._meddev_check_no_regulated_records(self.env._("merged"))
        return super()._merge(
            partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
        )

    def _meddev_merged_away(self, partner_ids, dst_partner):
        """The partners ``_merge`` would merge into another and delete."""
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) < 2:
            return partners.browse()
        if dst_partner and dst_partner in partners:
            return partners - dst_partner
        return self._get_ordered_partner(partners.ids)[:-1]
