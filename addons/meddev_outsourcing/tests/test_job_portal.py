from odoo import Command
from odoo.exceptions import AccessDenied, AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MeddevOutsourcingCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"
# new_test_user: the login is the password (long enough to sign with)
LOGIN = "test_md_job_portal"


class MeddevJobPortalCase(MeddevOutsourcingCase):
    """The CNC machining supplier's portal user, an Odoo subcontracting portal
    user of the same company without the supplier portal role, and a second
    supplier (the coater) machining the same screw: its jobs, lots and the
    specification it is released are not the first supplier's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.portal = new_test_user(
            cls.env,
            login=LOGIN,
            groups=PORTAL_GROUPS,
            partner_id=Partner.create(
                {"name": "Zhou Lei", "parent_id": cls.machining.id}
            ).id,
        )
        cls.plain_portal = new_test_user(
            cls.env,
            login="test_md_job_portal_plain",
            groups="base.group_portal",
            partner_id=Partner.create(
                {"name": "Qian Fang", "parent_id": cls.machining.id}
            ).id,
        )
        cls.qualified(cls.coater, cls.scope_cnc, risk="B")
        cls.bom.subcontractor_ids = [Command.link(cls.coater.id)]
        cls.Record = cls.env["meddev.outsourcing.process.record"]
        cls.Document = cls.env["meddev.outsourcing.job.document"]
        cls.od, cls.ra = cls.spec.parameter_ids.sorted("sequence")

    def jobs(self):
        """The machining supplier's job and the coater's, both released."""
        job, other = self.confirm_po(), self.confirm_po(partner=self.coater)
        self.release_to_supplier(job)
        self.release_to_supplier(other)
        return job, other

    def record_values(self, job, od="4.50", od_unit="mm", ra="0.6", ra_unit="µm"):
        return [
            {
                "job_id": job.id,
                "parameter_id": self.od.id,
                "value_entered": od,
                "uom": od_unit,
            },
            {
                "job_id": job.id,
                "parameter_id": self.ra.id,
                "value_entered": ra,
                "uom": ra_unit,
            },
        ]


@tagged("post_install", "-at_install")
class TestJobPortal(MeddevJobPortalCase):
    """As the supplier's portal user, through the ORM."""

    def test_draft_job_not_seen(self):
        """A job we still prepare is not the supplier's to read yet."""
        draft = self.confirm_po()
        Job = self.Job.with_user(self.portal)
        self.assertFalse(Job.search([("id", "=", draft.id)]))
        with self.assertRaises(AccessError):
            draft.with_user(self.portal).read(["name"])
        self.release_to_supplier(draft)
        self.assertEqual(Job.search([("id", "=", draft.id)]), draft)

    def test_own_jobs_only(self):
        job, other = self.jobs()
        Job = self.Job.with_user(self.portal)
        self.assertEqual(Job.search([]), job)
        self.assertEqual(job.with_user(self.portal).state, "sent")
        with self.assertRaises(AccessError):
            other.with_user(self.portal).read(["name"])
        # internal fields stay internal
        with self.assertRaises(AccessError):
            job.with_user(self.portal).read(["notes"])

    def test_spec_readable_once_released_to_the_supplier(self):
        """The coater's released job does not open the specification to the
        machining supplier, whose own job is still a draft."""
        job, other = self.confirm_po(), self.confirm_po(partner=self.coater)
        self.release_to_supplier(other)
        self.assertEqual(other.spec_id, job.spec_id)
        for model in (
            "meddev.process.spec",
            "meddev.process.spec.parameter",
            "meddev.process.spec.document",
        ):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.portal).search([]))
        with self.assertRaises(AccessError):
            self.spec.with_user(self.portal).read(["name"])
        self.release_to_supplier(job)
        self.assertEqual(self.Spec.with_user(self.portal).search([]), self.spec)
        self.assertEqual(
            self.env["meddev.process.spec.parameter"].with_user(self.portal).search([]),
            self.spec.parameter_ids,
        )

    def test_lots_of_own_jobs_only(self):
        job, other = self.jobs()
        self.receive(job, lot_name="SCR-OWN-001")
        self.receive(other, lot_name="SCR-COATER-001")
        loose = self.env["stock.lot"].create(
            {"name": "SCR-LOOSE-001", "product_id": self.screw.id}
        )
        Lot = self.env["stock.lot"]
        self.assertEqual(Lot.with_user(self.portal).search([]), job.lot_id)
        for lot in (other.lot_id, loose):
            with self.subTest(lot=lot.name), self.assertRaises(AccessError):
                lot.with_user(self.portal).read(["name"])
        self.assertEqual(job.with_user(self.portal).lot_id.name, "SCR-OWN-001")
        # Odoo's own subcontracting portal users keep Odoo's rule
        self.assertEqual(
            Lot.with_user(self.plain_portal).search(
                [("product_id", "=", self.screw.id)]
            ),
            job.lot_id | other.lot_id | loose,
        )
        stock_user = new_test_user(
            self.env,
            login="test_md_job_stock",
            groups="base.group_user,stock.group_stock_user",
        )
        self.assertEqual(
            Lot.with_user(stock_user).search_count(
                [("product_id", "=", self.screw.id)]
            ),
            3,
        )

    def test_write_whitelist(self):
        job, other = self.jobs()
        other.with_user(self.users["planner"]).action_acknowledge()
        self.Record.with_user(self.users["planner"]).create(self.record_values(other))
        # refused by the stage control, the fixed subject or the access rights
        for vals in (
            {"state": "released"},
            {"spec_id": False},
            {"notes": "<p>ours</p>"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                job.with_user(self.portal).write(vals)
        with self.assertRaises(AccessError):
            job.with_user(self.portal).write({"notes": "<p>ours</p>"})
        self.assertEqual(
            (job.state, job.spec_id, job.notes), ("sent", self.spec, False)
        )
        job.with_user(self.portal).action_acknowledge()
        with self.assertRaises(AccessError):
            self.Record.with_user(self.portal).create(self.record_values(other))
        with self.assertRaises(AccessError):
            other.record_ids[0].with_user(self.portal).write({"value_entered": "4.46"})
        with self.assertRaises(AccessError):
            self.Document.with_user(self.portal).create(
                {"job_id": other.id, "name": "CoC", "code": "coc", "datas": "Q29D"}
            )
        # a value given with fields the supplier does not write
        with self.assertRaises(AccessError):
            self.Record.with_user(self.portal).create(
                [{**self.record_values(job)[0], "in_limits": True}]
            )
        self.assertEqual(other.record_ids.mapped("value_entered"), ["4.50", "0.6"])
        self.assertFalse(job.record_ids)

    def test_bad_record_input_refused(self):
        job, _other = self.jobs()
        job.with_user(self.portal).action_acknowledge()
        Record = self.Record.with_user(self.portal)
        cases = {
            "needs a number in mm": self.record_values(job, od="four and a half"),
            "came with no unit": self.record_values(job, od_unit=""),
            "came with cm": self.record_values(job, od_unit="cm"),
        }
        for message, vals_list in cases.items():
            with self.subTest(message=message), self.raises(ValidationError, message):
                Record.create(vals_list)
        self.assertFalse(job.record_ids)

    def test_supplier_steps(self):
        job, _other = self.jobs()
        as_portal = job.with_user(self.portal)
        as_portal.action_acknowledge()
        as_portal.action_start()
        self.Record.with_user(self.portal).create(self.record_values(job, od="4.58"))
        self.Document.with_user(self.portal).create(
            {
                "job_id": job.id,
                "name": "CoC",
                "code": "coc",
                "datas": "Q29D",
                "filename": "coc.pdf",
            }
        )
        # the failed attempt is recorded in its own transaction
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        with self.assertRaises(AccessDenied):
            as_portal._meddev_sign("submit_record", "wrong password")
        self.assertFalse(job.record_submitted_on)
        as_portal._meddev_sign("submit_record", LOGIN)
        self.assertEqual(job.state, "in_process")
        self.assertEqual(job.record_submitted_by_id, self.portal)
        self.assertTrue(job.deviating)
        # the QA-only steps stay refused
        with self.assertRaises(AccessError):
            as_portal._meddev_sign("release", LOGIN)

    def test_lots_sent_readable(self):
        """A lot of the component sent to the supplier is readable by it, the
        lot sent to another supplier is not."""
        self.blank.tracking = "lot"
        resupply = self.env.ref("mrp_subcontracting.route_resupply_subcontractor_mto")
        self.blank.route_ids = [Command.link(resupply.id)]
        Lot = self.env["stock.lot"]
        ours, theirs = Lot.create(
            [
                {"name": "TI-BAR-OURS", "product_id": self.blank.id},
                {"name": "TI-BAR-THEIRS", "product_id": self.blank.id},
            ]
        )
        Quant = self.env["stock.quant"]
        stock = self.warehouse.lot_stock_id
        Quant._update_available_quantity(self.blank, stock, -10000)
        Quant._update_available_quantity(self.blank, stock, 1000, lot_id=ours)
        job = self.confirm_po()
        Quant._update_available_quantity(self.blank, stock, 1000, lot_id=theirs)
        other = self.confirm_po(partner=self.coater)
        self.release_to_supplier(job)
        self.release_to_supplier(other)
        # the lots sent are computed without dependencies: read them afresh
        self.env.invalidate_all()
        self.assertEqual(job.lot_sent_ids, ours)
        self.assertEqual(other.lot_sent_ids, theirs)
        self.assertEqual(
            job.with_user(self.portal).lot_sent_ids.mapped("name"), [ours.name]
        )
        self.assertEqual(Lot.with_user(self.portal).search([]), ours)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal).read(["name"])
