from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestStagePermissionForm(HttpCase):
    def test_states_picked_in_the_form(self):
        """In the browser, the QMS administrator picks a state of the document
        type; the row keeps the codes the server check reads."""
        admin = self.env["res.users"].create(
            {
                "name": "Form QMS Administrator",
                "login": "form_qms_admin",
                "password": "form_qms_admin",
                "groups_id": [
                    (6, 0, self.env.ref("meddev_base.group_meddev_admin").ids)
                ],
            }
        )
        reject = self.env.ref("meddev_base.stage_permission_role_grant_reject")
        self.assertEqual(reject.from_states, "submitted")
        self.start_tour(
            "/odoo/action-meddev_base.meddev_stage_permission_action/%d" % reject.id,
            "meddev_stage_permission_states",
            login=admin.login,
        )
        self.assertEqual(reject.from_states, "draft submitted")
        self.assertEqual(reject._states(), ["draft", "submitted"])
