from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import MeddevCase

APPROVE_KEY = "sign:meddev.role.grant:approve"
OVERDUE_KEY = "activity:meddev.role.grant"


def work_items(user, env):
    """{section key: {item key: count}} of ``user``'s welcome screen."""
    sections = env["meddev.welcome"].with_user(user).my_work()
    return {
        section["key"]: {item["key"]: item["count"] for item in section["items"]}
        for section in sections
    }


@tagged("post_install", "-at_install")
class TestWelcomeWork(MeddevCase):
    """The welcome screen counts each user's own work, as that user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Grant = cls.env["meddev.role.grant"]

    def request(self, by, grantee="qa_engineer"):
        now = fields.Datetime.now()
        grant = self.Grant.with_user(self.users[by]).create(
            {
                "user_id": self.users[grantee].id,
                "group_id": self.env.ref("meddev_base.group_meddev_qa_manager").id,
                "date_start": now,
                "date_end": now + timedelta(hours=2),
                "reason": "Covers the QA manager's release duties during leave",
            }
        )
        grant.action_submit()
        return grant

    def sign_count(self, role):
        user = self.users[role] if role != "employee" else self.employee
        return work_items(user, self.env)["sign"].get(APPROVE_KEY, 0)

    def test_signatures_waiting_by_role(self):
        # other requests (demo data) may wait already: counted from here
        before = {
            role: self.sign_count(role)
            for role in ("qa_manager", "quality_director", "planner")
        }
        self.request(by="planner")
        # the QA manager may approve it, the planner who asked may not
        self.assertEqual(self.sign_count("qa_manager"), before["qa_manager"] + 1)
        self.assertEqual(self.sign_count("planner"), 0)
        # segregation of duties: a request the QA manager submitted herself is
        # not waiting for her signature, but for the director's
        self.request(by="qa_manager", grantee="planner")
        self.assertEqual(self.sign_count("qa_manager"), before["qa_manager"] + 1)
        self.assertEqual(
            self.sign_count("quality_director"), before["quality_director"] + 2
        )
        # the item opens the records it counts
        sections = self.env["meddev.welcome"].with_user(self.users["qa_manager"])
        item = next(
            item
            for section in sections.my_work()
            for item in section["items"]
            if item["key"] == APPROVE_KEY
        )
        action = item["action"]
        self.assertEqual(action["res_model"], "meddev.role.grant")
        self.assertEqual(
            self.Grant.with_user(self.users["qa_manager"]).search_count(
                action["domain"]
            ),
            item["count"],
        )
        # no QMS role: nothing to sign
        self.assertEqual(work_items(self.employee, self.env)["sign"], {})

    def test_overdue_activities_are_the_users_own(self):
        manager = self.users["qa_manager"]
        before = work_items(manager, self.env)["overdue"].get(OVERDUE_KEY, 0)
        grant = self.request(by="planner")
        self.assertEqual(
            work_items(manager, self.env)["overdue"].get(OVERDUE_KEY, 0), before
        )
        # the approvers' to-dos on the request, past their deadline
        grant.activity_ids.sudo().date_deadline = fields.Date.today() - timedelta(
            days=1
        )
        overdue = work_items(manager, self.env)["overdue"]
        self.assertEqual(overdue[OVERDUE_KEY], before + 1)
        self.assertNotIn(
            OVERDUE_KEY, work_items(self.users["planner"], self.env)["overdue"]
        )
        self.assertNotIn(
            OVERDUE_KEY, work_items(self.users["qa_engineer"], self.env)["overdue"]
        )


@tagged("post_install", "-at_install")
class TestWelcomeScreen(HttpCase):
    def test_welcome_screen_shows_the_counts(self):
        """In the browser, the QA manager's welcome screen shows the request
        waiting for her signature, which opens the list of requests."""
        ref = self.env.ref
        manager = self.env["res.users"].create(
            {
                "name": "Welcome QA Manager",
                "login": "welcome_qa_manager",
                "password": "welcome_qa_manager",
                "groups_id": [(6, 0, ref("meddev_base.group_meddev_qa_manager").ids)],
            }
        )
        planner = self.env["res.users"].create(
            {
                "name": "Welcome Planner",
                "login": "welcome_planner",
                "email": "welcome.planner@example.com",
                "groups_id": [(6, 0, ref("meddev_base.group_meddev_planner").ids)],
            }
        )
        now = fields.Datetime.now()
        grant = (
            self.env["meddev.role.grant"]
            .with_user(planner)
            .create(
                {
                    "user_id": planner.id,
                    "group_id": ref("meddev_base.group_meddev_qa_engineer").id,
                    "date_start": now,
                    "date_end": now + timedelta(hours=2),
                    "reason": "Inspection backlog",
                }
            )
        )
        grant.action_submit()
        expected = work_items(manager, self.env)["sign"][APPROVE_KEY]
        self.start_tour(
            "/odoo/action-meddev_base.action_meddev_welcome",
            "meddev_welcome_work",
            login=manager.login,
        )
        self.assertGreaterEqual(expected, 1)
