from odoo import models

# partner fields the supplier scope of portal users depends on (their
# commercial partner, through user.commercial_partner_id in record rules)
SCOPE_FIELDS = {"parent_id", "is_company"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        # whether users are concerned is checked whatever the writer may read
        if SCOPE_FIELDS.intersection(vals) and self.sudo().user_ids:
            # record rules cache their domain per user: a contact moved to
            # another company must see that company's records, not the old
            # one's, from now on
            self.env.registry.clear_cache()
        return result
