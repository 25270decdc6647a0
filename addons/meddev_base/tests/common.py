from odoo_test_helper import FakeModelLoader

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

    @classmethod
    def _load_fake_model(cls, model_class):
        return load_fake_model(cls, model_class)


def load_fake_model(cls, model_class):
    """Register a model of the tests for the test class ``cls``, with full
    access for employees and a registry restored at the end of the class."""
    cls.loader = FakeModelLoader(cls.env, cls.__module__)
    cls.loader.backup_registry()
    cls.addClassCleanup(cls.loader.restore_registry)
    cls.loader.update_registry((model_class,))
    model = cls.env["ir.model"]._get(model_class._name)
    cls.env["ir.model.access"].create(
        {
            "name": f"{model_class._name} for employees",
            "model_id": model.id,
            "group_id": cls.env.ref("base.group_user").id,
            "perm_read": True,
            "perm_write": True,
            "perm_create": True,
            "perm_unlink": True,
        }
    )
    return model


def audit_tester_form(env):
    """A form of ``meddev.audit.tester`` with a button box and its state."""
    return env["ir.ui.view"].create(
        {
            "name": "tester form",
            "model": "meddev.audit.tester",
            "type": "form",
            "arch": """<form><sheet><div name="button_box"/>
                <field name="name"/><field name="state"/></sheet></form>""",
        }
    )
