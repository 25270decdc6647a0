from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from .common import MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"
# long enough to be its own password (new_test_user)
LOGIN = "test_md_portal_tour"


@tagged("post_install", "-at_install")
class TestSupplierPortalHttp(MeddevSupplierCase, HttpCase):
    """The supplier portal on /my, over HTTP and in the browser, as the
    portal user of the EO sterilizer: its records show; another supplier's
    record, or one that does not exist, sends back to /my without an error
    in the log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_eo = new_test_user(
            cls.env,
            login=LOGIN,
            groups=PORTAL_GROUPS,
            partner_id=cls.env["res.partner"]
            .create({"name": "Ma Jun", "parent_id": cls.sterilizer.id})
            .id,
        )
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.coating = cls.qualified(cls.coater, cls.scope_coating)
        cls.iso, cls.coater_licence = cls.Certificate.create(
            [
                {
                    "partner_id": cls.sterilizer.id,
                    "cert_type": "iso13485",
                    "number": "Q5 TOUR OLD",
                    "issuer": "TÜV SÜD",
                    "expiry_date": cls.today + timedelta(days=20),
                },
                {
                    "partner_id": cls.coater.id,
                    "cert_type": "business_licence",
                    "number": "91320214MA1XXXXX0Q",
                },
            ]
        )
        cls.audit, cls.coater_audit = cls.env["meddev.supplier.audit"].create(
            [
                {
                    "partner_id": partner.id,
                    "scope_ids": [(6, 0, scope.ids)],
                    "planned_date": cls.today,
                    "lead_auditor_id": cls.users["qa_engineer"].id,
                    "summary": "Internal: watch the cycle records closely.",
                }
                for partner, scope in (
                    (cls.sterilizer, cls.scope_eo),
                    (cls.coater, cls.scope_coating),
                )
            ]
        )
        cls.finding, cls.coater_finding = cls.env[
            "meddev.supplier.audit.finding"
        ].create(
            [
                {
                    "audit_id": audit.id,
                    "description": "Biological indicators not logged per load.",
                    "classification": "major",
                    "responsible": "supplier",
                    "follow_up": "Log every BI with the load number.",
                }
                for audit in cls.audit | cls.coater_audit
            ]
        )
        # reported: the findings are shown to the supplier (as the server
        # does at the signed step)
        (cls.audit | cls.coater_audit).sudo().with_context(
            audit_reason="test set-up"
        ).write({"state": "reported", "result": "passed_with_findings"})

    def test_own_records_and_refusals(self):
        agreement = self.approved_agreement()
        self.authenticate(LOGIN, LOGIN)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "meddev_qualification_count",
                    "meddev_certificate_count",
                    "meddev_quality_agreement_count",
                    "meddev_audit_count",
                    "meddev_change_notice_count",
                ]
            },
        )
        self.assertEqual(
            counters,
            {
                "meddev_qualification_count": 1,
                "meddev_certificate_count": 1,
                "meddev_quality_agreement_count": 1,
                "meddev_audit_count": 1,
                "meddev_change_notice_count": 0,
            },
        )
        own = {
            f"/my/meddev/qualifications/{self.eo.id}": "A - Critical",
            f"/my/meddev/certificates/{self.iso.id}": "Q5 TOUR OLD",
            f"/my/meddev/audits/{self.audit.id}": "Biological indicators",
            f"/my/meddev/findings/{self.finding.id}": "Log every BI",
            f"/my/meddev/agreements/{agreement.id}": agreement.name,
            "/my/meddev/certificates": "Q5 TOUR OLD",
            "/my/meddev/qualifications": "A - Critical",
        }
        with self.assertNoLogs(level="ERROR"):
            for url, text in own.items():
                with self.subTest(url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(text, response.text)
                    # never an internal note
                    self.assertNotIn("Internal:", response.text)
            pdf = self.url_open(f"/my/meddev/agreements/{agreement.id}/pdf")
            self.assertEqual(pdf.status_code, 200)
            self.assertIn("attachment;", pdf.headers["Content-Disposition"])
            refused = [
                f"/my/meddev/qualifications/{self.coating.id}",
                f"/my/meddev/certificates/{self.coater_licence.id}",
                f"/my/meddev/certificates/{self.coater_licence.id}/renew",
                f"/my/meddev/audits/{self.coater_audit.id}",
                f"/my/meddev/findings/{self.coater_finding.id}",
                "/my/meddev/certificates/999999999",
                "/my/meddev/change_notices/999999999",
                "/my/meddev/unknown/1",
                "/my/meddev/agreements/999999999/pdf",
            ]
            for url in refused:
                with self.subTest(url=url):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertIn(response.status_code, (302, 303, 403, 404))
                    self.assertNotIn("91320214MA1XXXXX0Q", response.text)
            # a reply posted to another supplier's finding changes nothing
            response = self.url_open(
                f"/my/meddev/findings/{self.coater_finding.id}",
                data={"root_cause": "Not ours.", "csrf_token": self.csrf_token()},
                allow_redirects=False,
            )
            self.assertIn(response.status_code, (302, 303))
        self.assertFalse(self.coater_finding.root_cause)

    def csrf_token(self):
        """The form token of the portal user's session, from a page's form."""
        response = self.url_open(f"/my/meddev/findings/{self.finding.id}")
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def test_tour_supplier_portal(self):
        """In the browser: the qualifications, the certificates, the upload
        of a renewal, the reply to a finding and a change notice."""
        self.start_tour("/my", "meddev_supplier_portal", login=LOGIN)
        renewal = self.Certificate.with_context(active_test=False).search(
            [("number", "=", "Q5 TOUR NEW")]
        )
        self.assertEqual(renewal.review_state, "pending")
        self.assertFalse(renewal.active)
        self.assertEqual(renewal.renewal_of_id, self.iso)
        self.assertEqual(renewal.attachment_filename, "iso13485-2029.pdf")
        self.assertEqual(str(renewal.expiry_date), "2029-10-31")
        self.assertTrue(self.iso.active)
        self.assertEqual(self.finding.reply_state, "submitted")
        self.assertEqual(
            self.finding.corrective_action, "BI log form added to SOP-EO-07."
        )
        notice = self.env["meddev.supplier.change.notice"].search(
            [("partner_id", "=", self.sterilizer.id)]
        )
        self.assertEqual(notice.state, "received")
        self.assertEqual(notice.change_type, "equipment")
        self.assertEqual(notice.scope_ids, self.scope_eo)
        self.assertEqual(notice.affected_products, "Sterile syringe 5 ml")
