import psycopg2

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestPartnerMerge(MeddevSupplierCase):
    """A supplier that quality records refer to is neither merged into another
    contact nor deleted, whatever the path; a duplicate without records may
    still be merged into it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.merger = new_test_user(
            cls.env,
            login="test_md_contact_manager",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.qualification = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.duplicate = cls.env["res.partner"].create(
            {"name": "Suzhou Jierui Sterilisation", "is_company": True}
        )

    def merge(self, partners, destination=None):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.merger)
            .create(
                {
                    "partner_ids": [(6, 0, partners.ids)],
                    "dst_partner_id": destination.id if destination else False,
                }
            )
        )
        return wizard.action_merge()

    def test_merge_of_a_supplier_refused(self):
        partners = self.sterilizer | self.duplicate
        for destination in (self.duplicate, None):
            with self.raises(UserError, "cannot be merged") as caught:
                self.merge(partners, destination)
            self.assertIn(self.qualification.display_name, str(caught.exception))
            self.assertIn("Supplier Qualification", str(caught.exception))
            self.assertTrue(self.sterilizer.exists())
            self.assertEqual(self.qualification.partner_id, self.sterilizer)

    def test_duplicate_merged_into_the_supplier(self):
        self.merge(self.sterilizer | self.duplicate, self.sterilizer)
        self.assertFalse(self.duplicate.exists())
        self.assertEqual(self.qualification.partner_id, self.sterilizer)

    def test_delete_of_a_supplier_refused(self):
        with self.raises(UserError, "cannot be deleted") as caught:
            self.sterilizer.with_user(self.merger).unlink()
        self.assertIn(self.qualification.display_name, str(caught.exception))
        self.assertTrue(self.sterilizer.exists())
        # the database refuses as well (restrict), whoever issues the delete
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ForeignKeyViolation),
        ):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL("DELETE FROM res_partner WHERE id = %s", self.sterilizer.id)
                )

    def test_evaluation_keeps_its_qualification(self):
        """Deleting a qualification does not delete its evaluations."""
        qualification = self.Qualification.create(
            {
                "partner_id": self.machining.id,
                "scope_id": self.scope_cnc.id,
                "risk_class": "A",
            }
        )
        qualification.with_user(self.users["qa_engineer"]).action_start_evaluation()
        self.assertTrue(qualification.current_evaluation_id)
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ForeignKeyViolation),
        ):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM meddev_supplier_qualification WHERE id = %s",
                        qualification.id,
                    )
                )
