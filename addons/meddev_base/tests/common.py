from odoo.tests import TransactionCase, new_test_user

ROLES = (
    "auditor",
    "planner",
    "buyer",
    "warehouse",
    "qc_inspector",
    "qa_engineer",
    "qa_manager",
    "quality_director",
    "document_controller",
    "production_manager",
    "regulatory",
    "admin",
)


class MeddevCase(TransactionCase):
    """Creates one user per QMS role (``cls.users[role]``) and a plain employee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"test_md_{role}",
                groups=f"base.group_user,meddev_base.group_meddev_{role}",
            )
            for role in ROLES
        }
        cls.employee = new_test_user(
            cls.env, login="test_md_employee", groups="base.group_user"
        )
