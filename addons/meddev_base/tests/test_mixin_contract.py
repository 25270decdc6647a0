from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.meddev_mixin_contract import (
    check_mixin_order,
    inherits,
    mixin_order_errors,
)
from .common import MeddevCase

PASSWORD = "Contract-2026!"


class RefusalRefiner:
    """A mixin that adds a refusal, as the governance request mixin does."""

    _name = "meddev.test.refusal.refiner"

    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        return UserError("refined")


@tagged("post_install", "-at_install")
class TestMixinContract(MeddevCase):
    """The mixins' contract is safe by construction: the stage mixin brings
    the signature and audit mixins, a refining mixin listed in the wrong
    place stops the registry, signed states are reached only by their
    signature (create and write), and the actions allowed now are exact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in cls.users.values():
            user.password = PASSWORD

    def test_stage_mixin_builds_on_signature_and_audit(self):
        stage = self.env.registry["meddev.stage.permission.mixin"]
        self.assertTrue(inherits(stage, "meddev.signature.mixin"))
        self.assertTrue(inherits(stage, "meddev.audit.mixin"))

    def test_registry_models_keep_the_contract(self):
        broken = {
            name: mixin_order_errors(model) for name, model in self.env.registry.items()
        }
        self.assertEqual({k: v for k, v in broken.items() if v}, {})

    def test_refiner_listed_after_the_stage_mixin_is_refused(self):
        stage = self.env.registry["meddev.stage.permission.mixin"]
        # _inherit = ["meddev.stage.permission.mixin", <refiner>]: wrong order
        wrong = type(
            "Wrong",
            (stage, RefusalRefiner),
            {"_name": "meddev.test.wrong", "_register": False},
        )
        with self.assertRaises(TypeError) as caught:
            check_mixin_order(wrong)
        message = str(caught.exception)
        self.assertIn("meddev.test.refusal.refiner", message)
        self.assertIn("_meddev_refusal", message)
        self.assertIn("before meddev.stage.permission.mixin", message)
        right = type(
            "Right",
            (RefusalRefiner, stage),
            {"_name": "meddev.test.right", "_register": False},
        )
        self.assertEqual(mixin_order_errors(right), [])

    def test_signed_state_unreachable_on_create(self):
        """A QA engineer created an audit trail review directly in state
        Reviewed: a signed-off review without any signature."""
        Review = self.env["meddev.audit.review"].with_user(self.users["qa_engineer"])
        with self.assertRaisesRegex(UserError, "only by the electronic signature"):
            Review.create({"state": "reviewed"})
        with self.assertRaisesRegex(UserError, "only by the electronic signature"):
            Review.with_context(default_state="reviewed").create({})
        # superuser mode too: only the signature leads there
        with self.assertRaisesRegex(UserError, "only by the electronic signature"):
            Review.sudo().create({"state": "reviewed"})
        review = Review.create({})
        with self.assertRaisesRegex(UserError, "only by the electronic signature"):
            review.write({"state": "reviewed"})
        review.with_user(self.users["qa_manager"])._meddev_sign("review", PASSWORD)
        self.assertEqual(review.state, "reviewed")
        self.assertFalse(review.signature_mismatch)

    def test_allowed_actions_exact_in_views(self):
        """Buttons of declared actions are hidden by an exact test: 'approve'
        is not allowed because 'approve_conditional' is."""
        Grant = self.env["meddev.role.grant"]
        arch = etree.fromstring(Grant.get_view(view_type="form")["arch"])
        buttons = [
            b
            for b in arch.xpath("//button[@type='object']")
            if Grant._meddev_button_action(b) == "approve"
        ]
        self.assertTrue(buttons)
        for button in buttons:
            expression = button.get("invisible")
            self.assertIn("' approve '", expression)
            context = {"state": "submitted", "id": 1}
            hidden = safe_eval(
                expression, {**context, "meddev_allowed_actions": " approve_x reject "}
            )
            self.assertTrue(hidden, expression)
            shown = safe_eval(
                expression, {**context, "meddev_allowed_actions": " reject approve "}
            )
            self.assertFalse(shown, expression)
