from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ROLES, MeddevCase

PASSWORD = "Stage-2026!"

# who may do what on the test model, by role (implied roles included)
ALLOWED = {
    "submit": {"planner", "buyer"},
    "approve": {"qa_manager", "quality_director"},
    "release": {"quality_director"},
}
FROM_STATE = {"submit": "draft", "approve": "submitted", "release": "approved"}


@tagged("post_install", "-at_install")
class TestStagePermission(MeddevCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .stage_tester import MeddevStageTester

        cls.model = cls._load_fake_model(MeddevStageTester)
        cls.Tester = cls.env["meddev.stage.tester"]
        cls.Permission = cls.env["meddev.stage.permission"]
        ref = cls.env.ref
        cls.submit = cls.Permission.create(
            {
                "name": "Submit for approval",
                "model_id": cls.model.id,
                "action": "submit",
                "from_states": "draft",
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            ref("meddev_base.group_meddev_planner").id,
                            ref("meddev_base.group_meddev_buyer").id,
                        ],
                    )
                ],
            }
        )
        cls.approve = cls.Permission.create(
            {
                "name": "Approve",
                "model_id": cls.model.id,
                "action": "approve",
                "from_states": "submitted",
                "group_ids": [(6, 0, [ref("meddev_base.group_meddev_qa_manager").id])],
                "not_same_user_as_ids": [(6, 0, cls.submit.ids)],
            }
        )
        director = ref("meddev_base.group_meddev_quality_director")
        cls.release = cls.Permission.create(
            {
                "name": "Release",
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
                "name": "Release",
                "model_id": cls.model.id,
                "action": "release",
                "meaning": "released",
                "group_ids": [(6, 0, director.ids)],
            }
        )
        for role in ("quality_director", "qa_manager"):
            cls.users[role].password = PASSWORD
        # a user who may both request and approve
        cls.both = new_test_user(
            cls.env,
            login="test_md_buyer_qa_manager",
            groups="base.group_user,meddev_base.group_meddev_buyer,"
            "meddev_base.group_meddev_qa_manager",
        )

    @contextmanager
    def raises(self, exception, text):
        """assertRaises (in a savepoint) whose message contains ``text``."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def record(self, state="draft", **values):
        return self.Tester.create({"name": "Job EO-7", "state": state, **values})

    def log(self, record):
        return self.env["meddev.stage.action.log"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_server_fields_written_by_the_steps_only(self):
        """A field the model declares its steps' own (_meddev_server_fields)
        is written by the step and refused to any user's direct write."""
        record = self.record(state="submitted")
        manager = self.users["qa_manager"]
        for user in (manager, self.users["planner"]):
            with (
                self.subTest(user=user.login),
                self.raises(UserError, "set by its steps"),
            ):
                record.with_user(user).write({"approved_on": "2026-01-01 00:00:00"})
        self.assertFalse(record.approved_on)
        record.with_user(manager).action_approve()
        self.assertEqual(record.state, "approved")
        self.assertTrue(record.approved_on)
        with self.raises(UserError, "set by its steps"):
            record.with_user(manager).write({"approved_on": False})
        # superuser code (a migration, Odoo's own flows) is not held
        record.write({"approved_on": False})
        self.assertFalse(record.approved_on)

    # ------------------------------------------------------------------
    # role × action
    # ------------------------------------------------------------------
    def test_every_role_every_action(self):
        for role in ROLES:
            user = self.users[role]
            for action, roles in ALLOWED.items():
                with self.subTest(role=role, action=action):
                    record = self.record(FROM_STATE[action])
                    method = getattr(record.with_user(user), f"action_{action}")
                    if role not in roles:
                        with self.assertRaises(AccessError) as caught:
                            method()
                        message = str(caught.exception)
                        self.assertIn(user.name, message)
                        self.assertIn(record.name, message)
                        self.assertEqual(record.state, FROM_STATE[action])
                        self.assertFalse(self.log(record))
                    elif action == "release":
                        # allowed, but only through the electronic signature
                        with self.raises(UserError, "electronic signature"):
                            method()
                        self.assertEqual(record.state, "approved")
                    else:
                        method()
                        self.assertNotEqual(record.state, FROM_STATE[action])
                        self.assertEqual(self.log(record).user_id, user)

    def test_access_error_names_user_action_record_roles(self):
        record = self.record("submitted")
        with self.assertRaises(AccessError) as caught:
            record.with_user(self.users["buyer"]).action_approve()
        message = str(caught.exception)
        for text in (self.users["buyer"].name, "Approve", "Job EO-7", "QA Manager"):
            self.assertIn(text, message)

    def test_wrong_state_refused(self):
        record = self.record("draft")
        with self.raises(UserError, "Submitted") as caught:
            record.with_user(self.users["qa_manager"]).action_approve()
        self.assertIn("Draft", str(caught.exception))
        self.assertEqual(record.state, "draft")
        self.assertFalse(self.log(record))

    def test_state_changes_only_through_actions(self):
        record = self.record("submitted")
        with self.raises(UserError, "only through its actions"):
            record.with_user(self.users["qa_manager"]).write({"state": "approved"})
        record.with_user(self.users["qa_manager"]).action_approve()
        self.assertEqual(record.state, "approved")
        # one check, one change of state
        with self.raises(UserError, "only through its actions"):
            record.with_user(self.users["qa_manager"]).write({"state": "submitted"})

    def test_records_start_in_the_first_stage(self):
        Tester = self.Tester.with_user(self.users["quality_director"])
        self.assertEqual(Tester.create({"name": "New job"}).state, "draft")
        with self.raises(UserError, "first stage"):
            Tester.create({"name": "Born released", "state": "released"})
        with self.raises(UserError, "first stage"):
            Tester.with_context(default_state="approved").create({"name": "Sneaky"})
        self.assertFalse(
            self.Tester.search([("name", "in", ("Born released", "Sneaky"))])
        )

    def test_segregation_of_duties(self):
        record = self.record("draft")
        record.with_user(self.both).action_submit()
        with self.raises(UserError, "segregation of duties") as caught:
            record.with_user(self.both).action_approve()
        self.assertIn(self.both.name, str(caught.exception))
        self.assertIn("Submit for approval", str(caught.exception))
        self.assertEqual(record.state, "submitted")
        # another approver may
        record.with_user(self.users["quality_director"]).action_approve()
        self.assertEqual(record.state, "approved")
        # the approver may not release: told before signing, refused when signing
        director = self.users["quality_director"]
        with self.raises(UserError, "segregation of duties"):
            record.with_user(director).with_context(
                meddev_sign_action="release"
            ).action_meddev_sign()
        with self.raises(UserError, "segregation of duties"):
            record.with_user(self.users["quality_director"])._meddev_sign(
                "release", PASSWORD
            )
        self.assertEqual(record.state, "approved")
        self.assertEqual(
            self.log(record).mapped("action"), ["approve", "submit"], "newest first"
        )

    def test_release_through_signature(self):
        record = self.record("approved")
        director = self.users["quality_director"]
        dialog = (
            record.with_user(director)
            .with_context(meddev_sign_action="release")
            .action_meddev_sign()
        )
        self.assertEqual(dialog["res_model"], "meddev.signature.wizard")
        with self.raises(AccessError, "may not"):
            record.with_user(self.users["qa_manager"]).with_context(
                meddev_sign_action="release"
            ).action_meddev_sign()
        signature = record.with_user(director)._meddev_sign("release", PASSWORD)
        self.assertEqual(signature.meaning, "released")
        self.assertEqual(record.state, "released")
        self.assertEqual(self.log(record).user_id, director)
        self.assertEqual(self.log(record).action_label, "Release")

    def test_signature_meaning_must_match_rule(self):
        self.release.signature_meaning = "approved"
        record = self.record("approved")
        director = self.users["quality_director"]
        with self.raises(UserError, "no signature rule"):
            record.with_user(director)._meddev_sign("release", PASSWORD)
        self.assertEqual(record.state, "approved")

    def test_deny_by_default(self):
        record = self.record("submitted")
        for user in (*self.users.values(), self.env.ref("base.user_admin")):
            with self.raises(AccessError, "No stage permission"):
                record.with_user(user).action_cancel()
        self.assertEqual(record.state, "submitted")
        with self.assertRaises(UserError):
            record._meddev_check_action("no_such_action")

    def test_tiers_and_training(self):
        self.submit.tier_validation = True
        record = self.record("draft")
        buyer = self.users["buyer"]
        with self.raises(UserError, "approval tiers"):
            record.with_user(buyer).action_submit()
        record.validation_status = "validated"
        self.submit.training_document_ref = "SOP-QA-999"
        with self.raises(UserError, "SOP-QA-999") as caught:
            record.with_user(buyer).action_submit()
        self.assertIn(buyer.name, str(caught.exception))
        self.submit.training_document_ref = "SOP-QA-001"
        record.with_user(buyer).action_submit()
        self.assertEqual(record.state, "submitted")

    def test_allowed_actions_per_user(self):
        record = self.record("submitted")
        self.assertEqual(
            record.with_user(self.users["qa_manager"]).meddev_allowed_actions,
            " approve ",
        )
        self.assertEqual(
            record.with_user(self.users["quality_director"]).meddev_allowed_actions,
            " approve ",
        )
        self.assertEqual(
            record.with_user(self.users["buyer"]).meddev_allowed_actions, ""
        )
        draft = self.record("draft")
        self.assertEqual(
            draft.with_user(self.users["buyer"]).meddev_allowed_actions, " submit "
        )
        draft.with_user(self.both).action_submit()
        # the submitter is no longer offered the approval
        self.assertEqual(draft.with_user(self.both).meddev_allowed_actions, "")
        approved = self.record("approved")
        # a signed step is offered; its button opens the signing dialog
        self.assertEqual(
            approved.with_user(self.users["quality_director"]).meddev_allowed_actions,
            " release ",
        )

    def test_form_shows_log_and_allowed_actions(self):
        arch = self.Tester.get_view(view_type="form")["arch"]
        self.assertIn('name="meddev_allowed_actions"', arch)
        self.assertIn('name="meddev_action_log_ids"', arch)

    def test_action_log_append_only(self):
        record = self.record("draft")
        record.with_user(self.users["buyer"]).action_submit()
        log = self.log(record)
        with self.assertRaises(UserError):
            log.write({"user_id": self.env.uid})
        with self.assertRaises(UserError):
            log.unlink()
        with self.assertRaises(AccessError):
            self.env["meddev.stage.action.log"].with_user(self.users["admin"]).create(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "action": "approve",
                    "user_id": self.users["admin"].id,
                }
            )
        # read with the record
        self.assertEqual(
            record.with_user(self.users["planner"]).meddev_action_log_ids, log
        )

    # ------------------------------------------------------------------
    # the configuration
    # ------------------------------------------------------------------
    def test_only_qms_admin_edits_the_matrix(self):
        values = {
            "name": "Cancel",
            "model_id": self.model.id,
            "action": "cancel",
            "group_ids": [
                (6, 0, self.env.ref("meddev_base.group_meddev_qa_manager").ids)
            ],
        }
        for role in ROLES:
            if role == "admin":
                continue
            Permission = self.Permission.with_user(self.users[role])
            with self.subTest(role=role):
                self.assertTrue(Permission.search([("id", "=", self.submit.id)]))
                with self.assertRaises(AccessError):
                    Permission.create(values)
                with self.assertRaises(AccessError):
                    self.submit.with_user(self.users[role]).write({"from_states": ""})
                with self.assertRaises(AccessError):
                    self.submit.with_user(self.users[role]).unlink()
        admin = self.users["admin"]
        cancel = self.Permission.with_user(admin).create(values)
        self.submit.with_user(admin).write({"from_states": "draft, cancelled"})
        entries = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "meddev.stage.permission"),
                ("res_id", "in", (cancel | self.submit).ids),
                ("user_id", "=", admin.id),
            ]
        )
        self.assertEqual(
            sorted(entries.mapped("operation")),
            # the row, and its roles (a many2many) in an entry of their own
            ["create", "create", "write"],
            "audited",
        )
        cancel.with_user(admin).unlink()

    def test_states_picked_from_the_document_type(self):
        admin = self.users["admin"]
        submit = self.submit.with_user(admin)
        self.assertIn(self.model, submit.controlled_model_ids)
        self.assertIn(
            self.env["ir.model"]._get("meddev.role.grant"), submit.controlled_model_ids
        )
        self.assertNotIn(
            self.env["ir.model"]._get("res.partner"), submit.controlled_model_ids
        )
        self.assertEqual(
            submit.state_option_ids.mapped("value"),
            self.Tester._meddev_declared_states(),
        )
        self.assertEqual(submit.from_state_ids.mapped("value"), ["draft"])
        # picked states are stored as the codes the enforcement reads, in the
        # order of the document type's states
        options = {option.value: option for option in submit.state_option_ids}
        submit.from_state_ids = options["cancelled"] | options["draft"]
        self.assertEqual(submit.from_states, "draft cancelled")
        self.assertEqual(submit._states(), ["draft", "cancelled"])
        submit.from_state_ids = False
        self.assertFalse(submit.from_states, "from any state")
        # a state of another document type is refused
        grant_states = (
            self.env.ref("meddev_base.stage_permission_role_grant_approve")
            .with_user(admin)
            .state_option_ids
        )
        foreign = grant_states.filtered(lambda option: option.value == "submitted")
        with self.raises(ValidationError, "no state"):
            submit.from_state_ids = options["draft"] | foreign
        # the states read in the user's language
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["meddev_base"], ["zh_CN"], overwrite=True
        )
        approve = self.env.ref(
            "meddev_base.stage_permission_role_grant_approve"
        ).with_user(admin)
        self.assertEqual(
            approve.with_context(lang="zh_CN").from_state_ids.mapped("name"),
            ["已提交"],
        )
        self.assertEqual(approve.from_state_ids.mapped("name"), ["Submitted"])

    def test_configuration_checked(self):
        base = {
            "name": "Bad",
            "model_id": self.model.id,
            "group_ids": [
                (6, 0, self.env.ref("meddev_base.group_meddev_qa_manager").ids)
            ],
        }
        with self.raises(ValidationError, "no action"):
            self.Permission.create({**base, "action": "destroy"})
        with self.raises(ValidationError, "no state"):
            self.Permission.create({**base, "action": "cancel", "from_states": "gone"})
        with self.raises(ValidationError, "already has"):
            self.Permission.create({**base, "action": "submit"})
        with self.raises(ValidationError, "allows no role"):
            self.Permission.create({**base, "action": "cancel", "group_ids": []})
        with self.raises(ValidationError, "no stage permissions"):
            self.Permission.create(
                {
                    **base,
                    "action": "approve",
                    "model_id": self.env["ir.model"]._get("res.partner").id,
                }
            )
        # a company's own row takes precedence over the row of every company
        own = self.Permission.create(
            {
                **base,
                "action": "submit",
                "company_id": self.env.company.id,
                "group_ids": [
                    (6, 0, self.env.ref("meddev_base.group_meddev_regulatory").ids)
                ],
            }
        )
        record = self.record("draft")
        with self.assertRaises(AccessError):
            record.with_user(self.users["buyer"]).action_submit()
        record.with_user(self.users["regulatory"]).action_submit()
        self.assertEqual(self.log(record).action_label, own.name)
