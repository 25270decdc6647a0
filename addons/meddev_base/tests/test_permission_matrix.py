import io
import re

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MeddevCase

PASSWORD = "Matrix-2026!"
OPERATIONS = ("read", "create", "write", "unlink")


@tagged("post_install", "-at_install")
class TestPermissionMatrix(MeddevCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .stage_tester import MeddevStageTester

        cls.model = cls._load_fake_model(MeddevStageTester)
        cls.Tester = cls.env["meddev.stage.tester"]
        ref = cls.env.ref
        Permission = cls.env["meddev.stage.permission"]
        cls.submit = Permission.create(
            {
                "name": "Submit for approval",
                "model_id": cls.model.id,
                "action": "submit",
                "from_states": "draft",
                "group_ids": [(6, 0, ref("meddev_base.group_meddev_planner").ids)],
            }
        )
        cls.approve = Permission.create(
            {
                "name": "Approve the job",
                "model_id": cls.model.id,
                "action": "approve",
                "from_states": "submitted",
                "tier_validation": True,
                "group_ids": [(6, 0, ref("meddev_base.group_meddev_qa_manager").ids)],
                "not_same_user_as_ids": [(6, 0, cls.submit.ids)],
            }
        )
        director = ref("meddev_base.group_meddev_quality_director")
        cls.release = Permission.create(
            {
                "name": "Release the job",
                "model_id": cls.model.id,
                "action": "release",
                "from_states": "approved",
                "group_ids": [(6, 0, director.ids)],
                "signature_meaning": "released",
                "not_same_user_as_ids": [(6, 0, cls.approve.ids)],
            }
        )
        cls.env["meddev.signature.rule"].create(
            {
                "name": "Release the job",
                "model_id": cls.model.id,
                "action": "release",
                "meaning": "released",
                "group_ids": [(6, 0, director.ids)],
            }
        )
        cls.Wizard = cls.env["meddev.permission.matrix.wizard"]

    def setUp(self):
        super().setUp()
        # users of the roles, created in each test (its changes are rolled back)
        self.role_users = {}

    def wizard(self, role="auditor"):
        return self.Wizard.with_user(self.users[role]).create({})

    def user_of(self, role):
        """A user holding only ``role`` (and what it implies)."""
        if role.id not in self.role_users:
            self.role_users[role.id] = self.env["res.users"].create(
                {
                    "name": f"Matrix {role.name}",
                    "login": f"test_md_matrix_{role.id}",
                    "password": PASSWORD,
                    "groups_id": [(6, 0, role.ids)],
                }
            )
        return self.role_users[role.id]

    def crud_mismatches(self, data):
        """Cells of the access rights matrix that a user of the role disproves."""
        mismatches = []
        for role in data["roles"]:
            user = self.user_of(role)
            for model, _description in data["models"]:
                cell = data["crud"][(role.id, model)]
                Model = self.env[model].with_user(user)
                for operation in OPERATIONS:
                    if Model.has_access(operation) != cell[operation]:
                        mismatches.append((role.name, model, operation))
        return mismatches

    # ------------------------------------------------------------------
    # self-test: the matrix tells the truth
    # ------------------------------------------------------------------
    def test_crud_matrix_tells_the_truth(self):
        data = self.wizard()._matrix()
        category = self.env.ref("meddev_base.module_category_meddev")
        self.assertEqual(
            data["roles"],
            self.env["res.groups"].search(
                [("category_id", "=", category.id)], order="id"
            ),
            "every QMS role, those of the functional modules included",
        )
        self.assertGreaterEqual(len(data["roles"]), 14)
        models = [name for name, _description in data["models"]]
        for name in (
            "meddev.stage.permission",
            "meddev.audit.entry",
            self.Tester._name,
        ):
            self.assertIn(name, models)
        for name in ("purchase.order", "stock.picking", "mrp.production", "stock.lot"):
            self.assertEqual(name in models, name in self.env, name)
        self.assertNotIn("meddev.stage.permission.mixin", models)
        self.assertEqual(self.crud_mismatches(data), [])
        admin = self.env.ref("meddev_base.group_meddev_admin")
        auditor = self.env.ref("meddev_base.group_meddev_auditor")
        portal = self.env.ref("meddev_base.group_meddev_supplier_portal")
        cells = data["cells"]
        self.assertEqual(cells[(admin.id, "meddev.stage.permission")], "RCWD")
        self.assertEqual(cells[(auditor.id, "meddev.stage.permission")], "R---")
        self.assertEqual(cells[(portal.id, "meddev.stage.permission")], "----")
        # implied groups count: the director has the inspector's rights
        director = self.env.ref("meddev_base.group_meddev_quality_director")
        self.assertEqual(cells[(director.id, "meddev.audit.review")], "RCW-")

    def test_self_test_catches_a_changed_right(self):
        data = self.wizard()._matrix()
        self.env["ir.model.access"].create(
            {
                "name": "planner may edit stage permissions",
                "model_id": self.env["ir.model"]._get("meddev.stage.permission").id,
                "group_id": self.env.ref("meddev_base.group_meddev_planner").id,
                "perm_read": True,
                "perm_write": True,
            }
        )
        mismatches = self.crud_mismatches(data)
        self.assertIn(
            ("Outsourcing Planner", "meddev.stage.permission", "write"), mismatches
        )
        # a fresh matrix is true again
        fresh = self.wizard()._matrix()
        self.assertEqual(self.crud_mismatches(fresh), [])
        planner = self.env.ref("meddev_base.group_meddev_planner")
        self.assertEqual(
            fresh["cells"][(planner.id, "meddev.stage.permission")], "R-W-"
        )

    def test_action_matrix_tells_the_truth(self):
        data = self.wizard()._matrix()
        rows = [row for row in data["actions"] if row["model"] == self.Tester._name]
        self.assertEqual(
            [row["action"] for row in rows], ["submit", "approve", "release"]
        )
        allowed_somewhere = set()
        for role in data["roles"]:
            user = self.user_of(role)
            for row in rows:
                action = row["action"]
                state = {"submit": "draft", "approve": "submitted"}.get(
                    action, "approved"
                )
                record = self.Tester.create(
                    {
                        "name": "Matrix job",
                        "state": state,
                        "validation_status": "validated",
                    }
                )
                as_user = record.with_user(user)
                with self.subTest(role=role.name, action=action):
                    if not row["roles"][role.id]:
                        with self.assertRaises(AccessError):
                            as_user._meddev_check_action(action)
                        continue
                    allowed_somewhere.add(action)
                    if row["signature"]:
                        as_user._meddev_sign(action, PASSWORD)
                    else:
                        as_user._meddev_check_action(action)
                    log = self.env["meddev.stage.action.log"].search(
                        [("res_model", "=", record._name), ("res_id", "=", record.id)]
                    )
                    self.assertEqual(log.user_id, user)
        self.assertEqual(allowed_somewhere, {"submit", "approve", "release"})

    def test_governance_actions_tell_the_truth(self):
        """Every role × action cell of the shipped configuration (temporary
        roles, segregation-of-duties exceptions) as a user of that role."""
        data = self.wizard()._matrix()
        grantee = self.users["regulatory"]
        records = {
            "meddev.role.grant": self.env["meddev.role.grant"].create(
                {
                    "user_id": grantee.id,
                    "group_id": self.env.ref("meddev_base.group_meddev_buyer").id,
                    "reason": "Matrix",
                }
            ),
            "meddev.sod.exception": self.env["meddev.sod.exception"].create(
                {
                    "conflict_id": self.env.ref(
                        "meddev_base.sod_conflict_admin_qa_manager"
                    ).id,
                    "user_id": grantee.id,
                    "reason": "Matrix",
                }
            ),
        }
        rows = [row for row in data["actions"] if row["model"] in records]
        self.assertEqual(len(rows), 9)
        for row in rows:
            record = records[row["model"]]
            state = row["states"].replace(",", " ").split()[0]
            # put the record in the state the action starts from
            record.sudo().with_context(audit_reason="Matrix").write({"state": state})
            permissions = record._meddev_permissions()
            for role in data["roles"]:
                user = self.user_of(role)
                # the matrix's cell: the role check of the action, for the user
                refusal = record._meddev_refusal(
                    row["action"], permissions, {}, user, signature=False
                )
                with self.subTest(
                    model=row["model"], action=row["action"], role=role.name
                ):
                    self.assertEqual(
                        isinstance(refusal, AccessError),
                        not row["roles"][role.id],
                        refusal,
                    )
                    if not row["roles"][role.id]:
                        with self.assertRaises(AccessError):
                            record.with_user(user)._meddev_check_action(row["action"])

    # ------------------------------------------------------------------
    # outputs
    # ------------------------------------------------------------------
    def test_xlsx(self):
        from openpyxl import load_workbook

        for role in ("auditor", "admin"):
            action = self.wizard(role).action_export_xlsx()
            self.assertIn("/web/content/", action["url"])
        wizard = self.wizard("admin")
        book = load_workbook(io.BytesIO(wizard._xlsx()))
        self.assertEqual(
            book.sheetnames[:4],
            ["Access Rights", "Record Rules", "Stage Actions", "Segregation of Duties"],
        )
        self.assertEqual(
            "Approval Tiers" in book.sheetnames, "tier.definition" in self.env
        )
        self.assertIn("Conflicting Roles", book.sheetnames)
        self.assertIn("Temporary Roles", book.sheetnames)
        rows = [[c.value for c in row] for row in book["Conflicting Roles"].iter_rows()]
        self.assertIn("QMS Administrator", [row[0] for row in rows])
        self.assertIn("QA Manager", [row[1] for row in rows])
        rows = [[c.value for c in row] for row in book["Access Rights"].iter_rows()]
        header = rows[5]
        self.assertEqual(header[:2], ["Model", "Document Type"])
        body = {row[0]: row for row in rows[6:]}
        permission = body["meddev.stage.permission"]
        self.assertEqual(permission[header.index("QMS Administrator")], "RCWD")
        self.assertEqual(permission[header.index("Auditor")], "R---")
        self.assertEqual(permission[header.index("Supplier Portal User")], "----")

        rows = [[c.value for c in row] for row in book["Stage Actions"].iter_rows()]
        header = rows[1]
        actions = {(r[0], r[1]): r for r in rows[2:]}
        approve = actions[(self.Tester._name, "approve")]
        self.assertEqual(
            approve[header.index("Not By the Performer Of")], "Submit for approval"
        )
        self.assertEqual(approve[header.index("Approval Tiers")], "Yes")
        self.assertEqual(approve[header.index("Allowed From States")], "submitted")
        self.assertEqual(approve[header.index("QA Manager")], "X")
        self.assertEqual(
            approve[header.index("Quality Director / Management Representative")], "X"
        )
        self.assertIn(approve[header.index("QA Engineer")], ("", None))
        release = actions[(self.Tester._name, "release")]
        self.assertEqual(release[header.index("Signature Meaning")], "Released")

        rows = [
            [c.value for c in row] for row in book["Segregation of Duties"].iter_rows()
        ]
        self.assertIn([self.Tester._name, "Release the job", "Approve the job"], rows)
        rows = [[c.value for c in row] for row in book["Record Rules"].iter_rows()]
        self.assertIn(
            [
                "All users (global rule)",
                "Stage permissions: own companies or every company",
                "meddev.stage.permission",
                None,
                "['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]",
                "RCWD",
            ],
            rows,
        )

    def test_pdf(self):
        wizard = self.wizard()
        self.assertEqual(
            wizard.action_print_pdf()["report_name"],
            "meddev_base.report_meddev_permission_matrix",
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "meddev_base.report_meddev_permission_matrix", wizard.ids
            )[0]
            .decode()
        )
        for text in (
            "Permission Matrix",
            "meddev.stage.permission",
            "RCWD",
            "Approve the job",
            "Submit for approval",
            "QMS Administrator",
        ):
            self.assertIn(text, html)

    def _training_rows(self):
        """A training requirement on a model that checks it (the test model)
        and on one that does not (temporary roles, no training module)."""
        self.approve.training_document_ref = "SOP-QA-001"
        self.env.ref(
            "meddev_base.stage_permission_role_grant_approve"
        ).training_document_ref = "SOP-QA-017"

    def test_training_column_says_whether_it_is_enforced(self):
        from openpyxl import load_workbook

        self._training_rows()
        wizard = self.wizard()
        data = wizard._matrix()
        rows = {(r["model"], r["action"]): r for r in data["actions"]}
        self.assertTrue(rows[(self.Tester._name, "approve")]["training_enforced"])
        self.assertFalse(rows[("meddev.role.grant", "approve")]["training_enforced"])
        note = "Required Training is NOT enforced until a training module is installed"
        self.assertIn(note, data["training_note"])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "meddev_base.report_meddev_permission_matrix", wizard.ids
            )[0]
            .decode()
        )
        self.assertIn(note, html)
        not_enforced = r"</span>\s*<em>\(not enforced\)</em>"
        self.assertTrue(re.search("SOP-QA-017" + not_enforced, html))
        self.assertFalse(re.search("SOP-QA-001" + not_enforced, html))
        self.assertIn("SOP-QA-001", html)
        sheet = load_workbook(io.BytesIO(wizard._xlsx()))["Stage Actions"]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertIn(note, rows[0][0])
        header = rows[1]
        actions = {(r[0], r[1]): r for r in rows[2:]}
        column = header.index("Training Enforced")
        self.assertEqual(actions[(self.Tester._name, "approve")][column], "Yes")
        self.assertEqual(actions[("meddev.role.grant", "approve")][column], "No")
        self.assertEqual(
            actions[("meddev.role.grant", "approve")][
                header.index("Required Training")
            ],
            "SOP-QA-017",
        )

    def test_training_note_when_every_model_checks_it(self):
        enforced = self.Wizard._training_note([{"training_enforced": True}])
        self.assertIn("Required Training is enforced", enforced)
        self.assertIn("NOT enforced", self.Wizard._training_note([]))

    def test_qms_administrator_prints_on_a_new_database(self):
        """Without a company report layout, Odoo answers an administrator's
        print with its layout set-up dialog, which a QMS administrator may not
        use: every company gets a layout, at install and when created."""
        qms_admin = new_test_user(
            self.env,
            login="test_md_matrix_qms_admin",
            groups="base.group_user,base.group_erp_manager,"
            "meddev_base.group_meddev_admin",
        )
        company = self.env.company
        self.assertTrue(company.external_report_layout_id)
        wizard = self.Wizard.with_user(qms_admin).create({})
        self.assertEqual(wizard.action_print_pdf()["type"], "ir.actions.report")
        company.external_report_layout_id = False
        self.assertEqual(
            wizard.action_print_pdf().get("res_model"), "base.document.layout"
        )
        self.env["res.company"]._meddev_default_report_layouts()
        self.assertEqual(wizard.action_print_pdf()["type"], "ir.actions.report")
        other = self.env["res.company"].create({"name": "Huakang Medical (Wuxi)"})
        self.assertTrue(other.external_report_layout_id)

    def test_who_runs_the_report(self):
        for role in ("auditor", "admin"):
            self.wizard(role)._matrix()
        for role in ("buyer", "planner", "qa_manager", "quality_director"):
            with self.assertRaises(AccessError, msg=role):
                self.wizard(role)
        menu = self.env.ref("meddev_base.menu_meddev_permission_matrix")
        Menu = self.env["ir.ui.menu"]
        for role in ("auditor", "admin"):
            self.assertIn(menu.id, Menu.with_user(self.users[role])._visible_menu_ids())
        self.assertNotIn(
            menu.id, Menu.with_user(self.users["buyer"])._visible_menu_ids()
        )
