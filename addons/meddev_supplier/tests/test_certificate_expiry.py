from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestCertificateExpiry(MeddevSupplierCase):
    """The daily check: status, to-dos for the QA managers at 90, 30 and 0 days
    before expiry (once each), qualifications dropped when a certificate
    expired."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.cnc = cls.qualified(cls.sterilizer, cls.scope_cnc, state="conditional")
        cls.expiry = cls.today + timedelta(days=100)
        cls.certificate = cls.Certificate.with_user(cls.users["qa_engineer"]).create(
            {
                "partner_id": cls.sterilizer.id,
                "cert_type": "iso13485",
                "number": "Q5 18 07 98765 002",
                "issuer": "TÜV SÜD Product Service",
                "issue_date": cls.today - timedelta(days=995),
                "expiry_date": cls.expiry,
                "scope_ids": [(6, 0, cls.scope_eo.ids)],
            }
        )

    def activities(self, user="qa_manager"):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "meddev.supplier.certificate"),
                ("res_id", "=", self.certificate.id),
                ("user_id", "=", self.users[user].id),
            ]
        )

    def alerts(self, user="qa_manager"):
        """The expiry alerts posted on the certificate to ``user``, newest
        first."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "meddev.supplier.certificate"),
                ("res_id", "=", self.certificate.id),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
                ("partner_ids", "in", self.users[user].partner_id.ids),
            ]
        )

    def run_cron_on(self, days_before_expiry):
        with freeze_time(self.expiry - timedelta(days=days_before_expiry)):
            self.Certificate._cron_check_expiry()

    def test_alerts_once_per_threshold_and_expiry_applied(self):
        self.assertEqual(self.certificate.state, "valid")
        self.run_cron_on(95)
        self.assertFalse(self.activities())
        self.run_cron_on(90)
        self.assertEqual(self.certificate.state, "expiring")
        self.assertEqual(len(self.activities()), 1)
        self.assertIn("90 days", self.activities().summary)
        self.assertEqual(len(self.activities("quality_director")), 1)
        self.run_cron_on(89)  # the next day: no second alert
        self.assertEqual(len(self.activities()), 1)
        self.run_cron_on(25)  # the 30-day run was missed: alerted now, once
        self.run_cron_on(24)
        self.assertEqual(len(self.activities()), 2)
        self.run_cron_on(0)
        self.assertEqual(len(self.activities()), 3)
        self.assertEqual(self.certificate.state, "expiring", "valid on its last day")
        self.assertEqual(self.eo.state, "qualified")
        self.run_cron_on(-1)
        self.assertEqual(self.certificate.state, "expired")
        self.assertEqual(len(self.activities()), 3)
        # the scope of the certificate drops to conditional; the other stays
        self.assertEqual(self.eo.state, "conditional")
        self.assertEqual(self.cnc.state, "conditional")
        self.env.flush_all()
        entry = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "meddev.supplier.qualification"),
                ("res_id", "=", self.eo.id),
                ("changed_fields", "ilike", "state"),
            ],
            order="id desc",
            limit=1,
        )
        self.assertIn(self.certificate.number, entry.reason)
        self.assertTrue(self.certificate.expiry_processed)

    def test_expiry_with_another_certificate_in_force(self):
        """A renewed certificate recorded as a new one keeps the scope it
        covers; one of another type, or archived, does not."""
        Certificate = self.Certificate.with_user(self.users["qa_engineer"])
        licence = Certificate.create(
            {
                "partner_id": self.sterilizer.id,
                "cert_type": "business_licence",
                "number": "91320500MA1X",
            }
        )
        renewed = Certificate.create(
            {
                "partner_id": self.sterilizer.id,
                "cert_type": "iso13485",
                "number": "Q5 18 07 98765 003",
                "expiry_date": self.expiry + timedelta(days=3 * 365),
                "scope_ids": [(6, 0, (self.scope_eo | self.scope_cnc).ids)],
            }
        )
        renewed.active = False
        self.run_cron_on(-1)
        self.assertEqual(self.eo.state, "conditional", "an archived one is no cover")
        self.assertTrue(licence.active, "another type is no cover either")
        self.eo.sudo().with_context(audit_reason="test").state = "qualified"
        renewed.active = True
        self.certificate.with_user(self.users["qa_engineer"]).expiry_date = (
            self.expiry + timedelta(days=1)
        )
        self.run_cron_on(-2)
        self.assertTrue(self.certificate.expiry_processed)
        self.assertEqual(self.eo.state, "qualified", "the renewal covers it")
        # once the renewal expired too, nothing covers the scope any more
        with freeze_time(renewed.expiry_date + timedelta(days=1)):
            self.Certificate._cron_check_expiry()
        self.assertEqual(self.eo.state, "conditional")

    def test_suspend_every_scope_when_configured(self):
        self.env["ir.config_parameter"].set_param(
            "meddev_supplier.expiry_action", "suspended"
        )
        self.certificate.with_user(self.users["qa_engineer"]).write(
            {"scope_ids": [(5,)]}
        )
        other = self.qualified(self.coater, self.scope_coating)
        self.run_cron_on(-3)
        self.assertEqual(self.eo.state, "suspended")
        self.assertEqual(self.cnc.state, "suspended")
        self.assertEqual(other.state, "qualified", "another supplier's stays")
        self.assertEqual(self.eo.earliest_certificate_expiry, self.expiry)

    def test_renewal_restarts_the_alerts(self):
        self.run_cron_on(30)
        self.assertEqual(self.certificate.last_alert_threshold, 30)
        with self.raises(UserError, "server only"):
            self.certificate.with_user(self.users["qa_engineer"]).write(
                {"last_alert_threshold": -1}
            )
        self.certificate.with_user(self.users["qa_engineer"]).write(
            {"expiry_date": self.expiry + timedelta(days=3 * 365)}
        )
        self.assertEqual(self.certificate.last_alert_threshold, -1)
        self.assertEqual(self.certificate.state, "valid")

    def test_alerts_mailed_to_qa_managers_once_per_threshold(self):
        manager = self.users["qa_manager"]
        director = self.users["quality_director"]
        engineer = self.users["qa_engineer"]
        Mail = self.env["mail.mail"]
        self.run_cron_on(91)
        self.assertFalse(self.alerts())
        expected = (
            (90, "Certificate expires in 90 days"),
            (30, "Certificate expires in 30 days"),
            (0, "Certificate expires today"),
        )
        for count, (days, subject) in enumerate(expected, start=1):
            self.run_cron_on(days)
            alerts = self.alerts()
            self.assertEqual(len(alerts), count, f"one alert at {days} days")
            alert = alerts[0]
            self.assertIn(subject, alert.subject)
            self.assertIn(self.certificate.number, alert.subject)
            self.assertIn(self.sterilizer.name, alert.body)
            self.assertTrue(alert.subtype_id.internal, "a note: not for the portal")
            self.assertEqual(alert.author_id, self.env.ref("base.partner_root"))
            # the QA managers (a quality director is one), not the QA engineer
            self.assertEqual(alert, self.alerts("quality_director")[0])
            self.assertNotIn(engineer.partner_id, alert.partner_ids)
            # a real mail, queued for the mail queue, to both
            mails = Mail.search([("mail_message_id", "=", alert.id)])
            self.assertTrue(mails)
            self.assertLessEqual((manager | director).partner_id, mails.recipient_ids)
            self.assertEqual(set(mails.mapped("state")), {"outgoing"})
            self.assertEqual(mails.subject, alert.subject)
            notified = alert.notification_ids.filtered(
                lambda n: n.res_partner_id == manager.partner_id
            )
            self.assertEqual(notified.notification_type, "email")
            # the same day again: nothing new
            messages = self.env["mail.message"].search_count([])
            mail_count = Mail.search_count([])
            self.run_cron_on(days)
            self.assertEqual(self.env["mail.message"].search_count([]), messages)
            self.assertEqual(Mail.search_count([]), mail_count)
        # no second, generic "assigned to you" mail for the to-dos
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "meddev.supplier.certificate"),
                    ("res_id", "=", self.certificate.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        self.assertEqual(len(self.activities()), 3)
        self.run_cron_on(-1)  # expired: applied, no further alert
        self.assertEqual(len(self.alerts()), 3)

    def test_alert_in_each_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.users["quality_director"].lang = "zh_CN"
        self.run_cron_on(30)
        english = self.alerts()
        chinese = self.alerts("quality_director")
        self.assertEqual(len(english), 1)
        self.assertEqual(len(chinese), 1)
        self.assertNotEqual(english, chinese)
        self.assertNotIn(self.users["quality_director"].partner_id, english.partner_ids)
        self.assertNotIn(self.users["qa_manager"].partner_id, chinese.partner_ids)
