from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MeddevCase

PASSWORD = "Review-2026!"


@tagged("post_install", "-at_install")
class TestAuditReview(MeddevCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in cls.users.values():
            user.password = PASSWORD
        cls.Review = cls.env["meddev.audit.review"]
        cls.Entry = cls.env["meddev.audit.entry"]
        # a change to an audited record: the signature rules are audited
        cls.env.ref(
            "meddev_base.signature_rule_audit_review"
        ).name = "Audit trail review sign-off (QA)"

    def setUp(self):
        super().setUp()
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def test_review_counts_the_period_and_verifies_the_chain(self):
        review = self.Review.with_user(self.users["qa_engineer"]).create({})
        self.assertTrue(review.name.startswith("ATR/"))
        self.assertTrue(review.chain_ok, review.chain_message)
        self.assertGreaterEqual(review.entry_count, 1)
        # the review's own creation is recorded after it counted (and falls
        # in its period when the test transaction began in an earlier second)
        own = self.Entry.search(
            [("res_model", "=", review._name), ("res_id", "=", review.id)]
        )
        self.assertEqual(
            self.Entry.search_count(
                [*review._entries_domain(), ("id", "not in", own.ids)]
            ),
            review.entry_count,
        )
        # the next review starts where this one ended
        rule = self.env.ref("meddev_base.signature_rule_audit_review")
        rule.name = "Audit trail review sign-off (QA manager)"
        following = self.Review.create(
            {"date_to": fields.Datetime.now() + timedelta(seconds=5)}
        )
        self.assertEqual(following.date_from, review.date_to)
        self.assertGreaterEqual(following.entry_count, 1)

    def test_qa_manager_signs_the_review_off(self):
        review = self.Review.with_user(self.users["qa_engineer"]).create(
            {"notes": "Looked at all deletions; none unexpected."}
        )
        with self.assertRaises(AccessError):
            review.with_user(self.users["qa_engineer"])._meddev_sign("review", PASSWORD)
        with self.assertRaises(UserError):
            review.with_user(self.users["qa_engineer"]).write({"state": "reviewed"})
        signature = review.with_user(self.users["qa_manager"])._meddev_sign(
            "review", PASSWORD, comment="Trail reviewed"
        )
        self.assertEqual(review.state, "reviewed")
        self.assertEqual(signature.meaning, "reviewed")
        # a reviewed review is controlled: changes need a reason, and show
        with self.assertRaises(ValidationError):
            review.with_user(self.users["qa_engineer"]).write({"notes": "edited"})
        review.with_user(self.users["qa_engineer"]).write(
            {"notes": "edited", "audit_reason": "Typo"}
        )
        self.assertTrue(review.signature_mismatch)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("meddev_base.report_meddev_audit_review", review.ids)[0]
            .decode()
        )
        self.assertIn(self.users["qa_manager"].name, html)
        self.assertIn("Reviewed", html)
        self.assertIn("Content changed after signing", html)

    def test_cron_opens_a_review_when_due(self):
        self.env["ir.config_parameter"].set_param(
            "meddev_base.audit_review_interval_days", "30"
        )
        # start without reviews (a demo database has a reviewed one)
        self.Review.search([]).with_context(
            audit_reason="Test set-up: no review yet"
        ).unlink()
        review = self.Review._cron_open_review()
        self.assertTrue(review)
        self.assertTrue(review.activity_ids)
        # not twice while one is open, nor when the last one is recent
        self.assertFalse(self.Review._cron_open_review())
        review.with_user(self.users["qa_manager"])._meddev_sign("review", PASSWORD)
        self.assertFalse(self.Review._cron_open_review())

    def test_a_signed_review_is_not_put_back_by_a_write(self):
        review = self.Review.create({})
        manager = self.users["qa_manager"]
        review.with_user(manager)._meddev_sign("review", PASSWORD)
        for env_review in (
            review.with_user(manager).with_context(audit_reason="reopen"),
            review.sudo().with_context(audit_reason="reopen"),
        ):
            with self.assertRaises(UserError):
                env_review.write({"state": "draft"})
        self.assertEqual(review.state, "reviewed")

    def test_who_reads_reviews(self):
        review = self.Review.create({})
        for role in ("auditor", "qa_engineer", "qa_manager", "quality_director"):
            review.with_user(self.users[role]).read(["name"])
        for role in ("buyer", "warehouse", "planner", "admin"):
            with self.assertRaises(AccessError, msg=role):
                review.with_user(self.users[role]).read(["name"])
        with self.assertRaises(AccessError):
            self.Review.with_user(self.users["auditor"]).create({})
