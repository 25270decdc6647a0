from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .nonconformance_case import MeddevNonconformanceCase


@tagged("post_install", "-at_install")
class TestNonconformance(MeddevNonconformanceCase):
    def test_recorded_by_anyone_graded_from_the_matrix_with_its_reasoning(self):
        nc = self.manual_exception(role="warehouse")
        self.assertTrue(nc.name.startswith("NC/"))
        self.assertEqual(nc.state, "new")
        self.assertEqual(nc.detected_by_id, self.users["warehouse"])
        # the type's defaults: severity 2 × occurrence 3 → major
        self.assertEqual((nc.severity, nc.occurrence), ("2", "3"))
        self.assertEqual(nc.grade, "major")
        self.assertIn("2 Minor", nc.grade_reason)
        self.assertIn("3 Occasional", nc.grade_reason)
        nc.with_user(self.users["warehouse"]).write({"severity": "5"})
        self.assertEqual(nc.grade, "critical")

    def test_the_company_matrix_cell_wins(self):
        self.env["meddev.nonconformance.grade.rule"].create(
            {
                "company_id": self.env.company.id,
                "severity": "2",
                "occurrence": "3",
                "grade": "minor",
            }
        )
        self.assertEqual(self.manual_exception().grade, "minor")

    def test_assigned_by_type_and_grade_most_specific_rule(self):
        Rule = self.env["meddev.nonconformance.assignment"]
        Rule.create({"user_id": self.users["qa_manager"].id})
        Rule.create(
            {
                "type_id": self.type_transport.id,
                "grade": "major",
                "user_id": self.users["qa_engineer"].id,
                "team_user_ids": [(6, 0, self.users["buyer"].ids)],
            }
        )
        nc = self.manual_exception()
        self.assertEqual(nc.user_id, self.users["qa_engineer"])
        self.assertEqual(nc.team_user_ids, self.users["buyer"])
        other = self.manual_exception(type_id=self.type_material.id)
        self.assertEqual(other.user_id, self.users["qa_manager"])

    def test_confirm_needs_the_types_facts_and_the_qa_role(self):
        nc = self.manual_exception(type_id=self.type_material.id)
        nc.user_id = self.users["qa_engineer"]
        with self.raises(UserError, "Product"):
            self.confirm(nc)
        self.assertEqual(nc.state, "new")
        nc.write({"product_id": self.barrel.id, "quantity": 10})
        lot = self.env["stock.lot"].create(
            {"name": "L-1", "product_id": self.barrel.id}
        )
        nc.lot_ids = lot
        with self.assertRaises(UserError):
            self.confirm(nc, role="qc_inspector")
        self.confirm(nc)
        self.assertEqual(nc.state, "open")
        self.assertEqual(nc.confirmed_by_id, self.users["qa_engineer"])

    def test_grade_changes_after_confirmation_only_by_signed_regrade(self):
        nc = self.manual_exception(user_id=self.users["qa_engineer"].id)
        self.confirm(nc)
        editor = nc.with_user(self.users["qa_engineer"])
        with self.raises(UserError, "regrade"):
            editor.write({"severity": "5"})
        with self.raises(UserError, "set by its steps"):
            editor.write({"grade_override": "minor"})
        editor.write({"proposed_grade": "critical"})
        with self.raises(UserError, "reason"):
            self.sign(nc, "regrade", role="qa_engineer")
        with self.assertRaises(UserError):
            self.sign(nc, "regrade", role="qc_inspector", comment="worse")
        self.sign(nc, "regrade", role="qa_engineer", comment="Implant lot affected")
        self.assertEqual(nc.grade, "critical")
        self.assertEqual(nc.grade_matrix, "major")
        self.assertIn("Implant lot affected", nc.grade_reason)
        self.assertFalse(nc.proposed_grade)
        self.assertEqual(nc.signature_ids[-1:].meaning, "approved")

    def test_server_sources_states_and_deletion_are_refused(self):
        Model = self.NC.with_user(self.users["qa_manager"])
        values = {"type_id": self.type_transport.id, "description": "x"}
        with self.raises(UserError, "opened by the server"):
            Model.create(dict(values, source="inspection"))
        with self.raises(UserError, "first stage"):
            Model.create(dict(values, state="closed"))
        nc = self.manual_exception()
        with self.raises(UserError, "set by its steps"):
            nc.with_user(self.users["qa_manager"]).write({"closed_by_id": 1})
        with self.assertRaises(UserError):
            nc.with_user(self.users["qa_manager"]).write({"state": "open"})
        with self.assertRaises(UserError):
            nc.with_user(self.users["qa_manager"]).unlink()

    def test_close_needs_the_capa_decision_and_the_qa_managers_signature(self):
        nc = self.manual_exception(user_id=self.users["qa_engineer"].id)
        self.confirm(nc)
        self.assertIn("CAPA", nc.close_problems)
        with self.raises(UserError, "CAPA"):
            self.sign(nc, "close")
        nc.with_user(self.users["qa_engineer"]).write(
            {"capa_required": "no", "capa_rationale": "One-off carrier delay"}
        )
        self.assertFalse(nc.close_problems)
        with self.assertRaises(UserError):
            self.sign(nc, "close", role="qa_engineer")
        self.sign(nc, "close")
        self.assertEqual(nc.state, "closed")
        self.assertEqual(nc.closed_by_id, self.users["qa_manager"])

    def test_capa_decision_is_the_qa_engineers(self):
        nc = self.manual_exception(user_id=self.users["qa_engineer"].id)
        self.confirm(nc)
        for role in ("warehouse", "qc_inspector"):
            with self.raises(UserError, "decided by a QA engineer"):
                nc.with_user(self.users[role]).write({"capa_required": "no"})
        with self.raises(UserError, "decided by a QA engineer"):
            self.manual_exception(role="warehouse", capa_required="no")
        self.assertFalse(nc.capa_required)

    def test_closed_exception_is_kept_as_it_was(self):
        nc = self.manual_exception(user_id=self.users["qa_engineer"].id)
        self.confirm(nc)
        nc.with_user(self.users["qa_engineer"]).write(
            {"capa_required": "no", "capa_rationale": "One-off carrier delay"}
        )
        self.sign(nc, "close")
        manager = nc.with_user(self.users["qa_manager"]).with_context(
            audit_reason="Typo"
        )
        with self.raises(UserError, "kept as it was"):
            manager.write({"description": "Something else"})
        with self.raises(UserError, "kept as it was"):
            manager.write({"capa_required": "yes"})
        self.assertEqual(nc.description, "Sterile pouches arrived two days late")
        # the chatter stays open
        manager.message_post(body="Supplier informed")

    def test_cancel_is_the_qa_managers_signed_reason(self):
        nc = self.manual_exception()
        with self.raises(UserError, "reason"):
            self.sign(nc, "cancel")
        self.sign(nc, "cancel", comment="Recorded twice")
        self.assertEqual((nc.state, nc.cancel_reason), ("cancel", "Recorded twice"))

    def test_portal_and_other_company_see_nothing(self):
        nc = self.manual_exception()
        portal = self.env["res.users"].create(
            {
                "name": "Supplier contact",
                "login": "nc-portal",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRaises(AccessError):
            nc.with_user(portal).read(["name"])
        other = self.env["res.company"].create({"name": "Other Med Co"})
        outsider = self.env["res.users"].create(
            {
                "name": "Other QA",
                "login": "nc-other-qa",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [
                    (6, 0, self.env.ref("meddev_base.group_meddev_qa_manager").ids)
                ],
            }
        )
        self.assertFalse(self.NC.with_user(outsider).search([("id", "=", nc.id)]))


@tagged("post_install", "-at_install")
class TestNonconformanceFromJob(MeddevNonconformanceCase):
    def test_deviating_process_record_opens_a_graded_exception(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job, od="4.70")
        self.assertTrue(job.deviating)
        nc = self.NC.search([("job_id", "=", job.id)])
        self.assertEqual(len(nc), 1)
        self.assertEqual(nc.source, "process_record")
        self.assertEqual(nc.type_id.code, "process_deviation")
        self.assertEqual(nc.partner_id, job.partner_id.commercial_partner_id)
        self.assertTrue(nc.parameter)
        # severity 4 × occurrence 3 by the type: major
        self.assertEqual(nc.grade, "major")
        self.assertEqual(nc.process_id, job.scope_id)
        self.assertFalse(nc.hold_ids)
        # the lot the supplier returns joins the exception, held at once
        self.attach_coc(job)
        self.receive(job, lot_name="SCR-NC-DEV")
        self.assertEqual(nc.lot_ids.name, "SCR-NC-DEV")
        self.assertEqual(nc.hold_ids.quantity, job.qty_returned)
        self.assertTrue(nc.holds_active)
