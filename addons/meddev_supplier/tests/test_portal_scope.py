from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"


@tagged("post_install", "-at_install")
class TestPortalScope(MeddevSupplierCase):
    """A supplier's portal user reads its own qualifications and certificates,
    never another supplier's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = cls.env["res.partner"].create(
            {"name": "Ma Jun", "parent_id": cls.sterilizer.id}
        )
        cls.portal_eo = new_test_user(
            cls.env,
            login="test_md_sup_portal_eo",
            groups=PORTAL_GROUPS,
            partner_id=contact.id,
        )
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.coating = cls.qualified(cls.coater, cls.scope_coating)
        cls.coater_licence = cls.Certificate.create(
            {
                "partner_id": cls.coater.id,
                "cert_type": "business_licence",
                "number": "91320214MA1XXXXX0Q",
            }
        )

    def test_portal_user_reads_own_supplier_only(self):
        Qualification = self.Qualification.with_user(self.portal_eo)
        self.assertEqual(Qualification.search([]), self.eo)
        self.assertEqual(self.eo.with_user(self.portal_eo).state, "qualified")
        with self.assertRaises(AccessError):
            self.coating.with_user(self.portal_eo).read(["state"])
        with self.assertRaises(AccessError):
            self.coater_licence.with_user(self.portal_eo).read(["number"])
        with self.assertRaises(AccessError):
            self.eo.with_user(self.portal_eo).with_context(
                audit_reason="portal edit"
            ).write({"notes": "changed"})
        # without a reason too: refused for the access, not asked for a reason
        with self.assertRaises(AccessError):
            self.eo.with_user(self.portal_eo).write({"notes": "changed"})

    def test_contact_moved_to_another_supplier(self):
        Qualification = self.Qualification.with_user(self.portal_eo)
        self.assertEqual(Qualification.search([]), self.eo)
        # the contact now works for the coater: its records, not the old ones
        self.portal_eo.partner_id.parent_id = self.coater
        self.assertEqual(Qualification.search([]), self.coating)
        with self.assertRaises(AccessError):
            self.eo.with_user(self.portal_eo).read(["state"])
