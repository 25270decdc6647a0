from odoo.exceptions import UserError
from odoo.tests import tagged

from .scar_case import MeddevScarCase


@tagged("post_install", "-at_install")
class TestScarCapa(MeddevScarCase):
    """A SCAR starts a CAPA; a CAPA issues a SCAR to its supplier."""

    def test_qa_opens_a_capa_from_the_answered_scar(self):
        exception = self.Nc.with_user(self.users["qc_inspector"]).create(
            {
                "type_id": self.nc_type.id,
                "description": "EO concentration 420 mg/L",
                "partner_id": self.sterilizer.id,
            }
        )
        scar = self.answered_scar(nonconformance_id=exception.id)
        with self.assertRaises(UserError):
            scar.with_user(self.users["qc_inspector"]).action_open_capa()
        self.assertFalse(scar.capa_id)
        scar.with_user(self.users["qa_engineer"]).action_open_capa()
        capa = scar.capa_id
        self.assertEqual(capa.source, "scar")
        self.assertEqual(capa.partner_id, self.sterilizer)
        self.assertEqual(capa.nc_type_id, self.nc_type)
        self.assertEqual(capa.user_id, self.users["qa_engineer"])
        self.assertEqual(capa.nonconformance_ids, exception)
        self.assertEqual(capa.scar_ids, scar)
        with self.raises(UserError, "already has a CAPA"):
            scar.with_user(self.users["qa_engineer"]).action_open_capa()

    def test_a_draft_scar_opens_no_capa(self):
        scar = self.new_scar()
        with self.assertRaises(UserError):
            scar.with_user(self.users["qa_engineer"]).action_open_capa()
        self.assertFalse(scar.capa_id)

    def test_a_capa_issues_a_scar_to_its_supplier(self):
        capa = (
            self.env["meddev.capa"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "title": "EO concentration drift",
                    "partner_id": self.sterilizer.id,
                    "description": "Three cycles below 450 mg/L this quarter.",
                }
            )
        )
        with self.assertRaises(UserError):
            capa.with_user(self.users["qa_engineer"]).action_issue_scar()
        capa.with_user(self.users["qa_engineer"]).action_start()
        with self.assertRaises(UserError):
            capa.with_user(self.users["qc_inspector"]).action_issue_scar()
        capa.with_user(self.users["qa_engineer"]).action_issue_scar()
        scar = capa.scar_ids
        self.assertEqual((scar.source, scar.state), ("capa", "draft"))
        self.assertEqual(scar.partner_id, self.sterilizer)
        self.assertEqual(scar.problem_statement, capa.description)

    def test_a_capa_without_supplier_issues_no_scar(self):
        capa = (
            self.env["meddev.capa"]
            .with_user(self.users["qa_engineer"])
            .create({"title": "Label mix-up at packing"})
        )
        capa.with_user(self.users["qa_engineer"]).action_start()
        with self.raises(UserError, "names no supplier"):
            capa.with_user(self.users["qa_engineer"]).action_issue_scar()
        self.assertFalse(capa.scar_ids)
