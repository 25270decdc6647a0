from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PASSWORD, MeddevOutsourcingCase


@tagged("post_install", "-at_install")
class TestProcessSpec(MeddevOutsourcingCase):
    def test_effective_version_frozen(self):
        spec = self.spec.with_user(self.users["qa_engineer"])
        with self.raises(UserError, "cannot be changed"):
            spec.write({"name": "Changed"})
        with self.raises(UserError, "are fixed"):
            spec.parameter_ids[0].write({"upper_limit": 5.0})
        with self.raises(UserError, "are fixed"):
            self.env["meddev.process.spec.parameter"].with_user(
                self.users["qa_engineer"]
            ).create({"spec_id": spec.id, "name": "Extra", "uom": "mm"})
        with self.raises(UserError, "fixed"):
            spec.parameter_ids[0].unlink()

    def test_new_version_supersedes_on_signature(self):
        action = self.spec.with_user(self.users["qa_engineer"]).action_new_version()
        new = self.Spec.browse(action["res_id"])
        self.assertEqual((new.code, new.version, new.state), ("PS-CNC-001", 2, "draft"))
        self.assertEqual(len(new.parameter_ids), 2)
        new.with_user(self.users["qa_engineer"]).parameter_ids[0].upper_limit = 4.54
        new.with_user(self.users["qa_engineer"]).action_submit()
        with self.raises(UserError, "segregation of duties"):
            self.users["qa_engineer"].groups_id |= self.env.ref(
                "meddev_base.group_meddev_qa_manager"
            )
            new.with_user(self.users["qa_engineer"])._meddev_sign("approve", PASSWORD)
        new.with_user(self.users["qa_manager"])._meddev_sign("approve", PASSWORD)
        self.assertEqual(new.state, "effective")
        self.assertEqual(self.spec.state, "superseded")
        self.assertEqual(self.spec.superseded_by_id, new)

    def test_only_effective_version_released(self):
        job = self.confirm_po()
        draft = self.Spec.with_user(self.users["qa_engineer"]).create(
            self.spec_values(self.screw, self.scope_cnc, "PS-CNC-009")
        )
        job.with_user(self.users["planner"]).spec_id = draft
        with self.raises(UserError, "is not effective"):
            self.release_to_supplier(job)
        self.assertEqual(job.state, "draft")

    def test_job_keeps_its_released_version(self):
        job = self.confirm_po()
        self.release_to_supplier(job)
        action = self.spec.with_user(self.users["qa_engineer"]).action_new_version()
        new = self.Spec.browse(action["res_id"])
        new.with_user(self.users["qa_engineer"]).action_submit()
        new.with_user(self.users["qa_manager"])._meddev_sign("approve", PASSWORD)
        self.assertEqual(job.spec_id, self.spec)
        with self.raises(UserError, "fixed once it is released"):
            job.with_user(self.users["planner"]).spec_id = new
        # the next job gets the new version, and is its first article
        other = self.confirm_po()
        self.assertEqual(other.spec_id, new)
        self.release_to_supplier(other)
        self.assertEqual(other.first_article_reason, "new_spec_version")

    def test_roles(self):
        for role in ("planner", "buyer", "warehouse", "qc_inspector"):
            with self.subTest(role=role), self.assertRaises(UserError):
                self.Spec.with_user(self.users[role]).create(
                    self.spec_values(self.screw, self.scope_cnc, f"PS-X-{role}")
                )
        spec = self.Spec.with_user(self.users["qa_engineer"]).create(
            self.spec_values(self.screw, self.scope_cnc, "PS-CNC-002")
        )
        spec.action_submit()
        with self.assertRaises(UserError):
            spec.with_user(self.users["qa_engineer"])._meddev_sign("approve", PASSWORD)
        with self.raises(UserError, "changes only through its actions"):
            spec.with_user(self.users["qa_engineer"]).write({"state": "effective"})
