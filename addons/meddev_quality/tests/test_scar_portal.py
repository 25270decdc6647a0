import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .scar_case import ANSWER, LOGIN, LOGIN_B, MeddevScarCase


@tagged("post_install", "-at_install")
class TestScarPortal(MeddevScarCase):
    """As the suppliers' portal users, through the ORM: each reads and
    answers its own company's issued SCARs only, the 8D fields only."""

    def test_isolation(self):
        own, other = self.issued_scar(), self.issued_scar(partner=self.coater)
        draft = self.new_scar()
        Scar = self.Scar.with_user(self.portal)
        self.assertEqual(Scar.search([]), own)
        for scar in (other, draft):
            with self.subTest(scar=scar.name), self.assertRaises(AccessError):
                scar.with_user(self.portal).read(["name"])
            with self.subTest(scar=scar.name), self.assertRaises(AccessError):
                scar.with_user(self.portal).write({"d4_root_cause": "not ours"})
        self.assertEqual(self.Scar.with_user(self.portal_b).search([]), other)
        self.assertFalse(other.d4_root_cause)

    def test_write_whitelist(self):
        scar = self.issued_scar()
        portal = scar.with_user(self.portal)
        for vals in (
            {"state": "accepted"},
            {"date_due": "2099-12-31"},
            {"problem_statement": "Nothing happened"},
            {"return_reason": False},
            {"user_id": self.portal.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                portal.write(vals)
        with self.assertRaises(AccessError):
            portal.read(["user_id"])
        with self.assertRaises(AccessError):
            self.Scar.with_user(self.portal).create(
                {"partner_id": self.sterilizer.id, "problem_statement": "x"}
            )
        portal.write({"d1_team": ANSWER["d1_team"]})
        self.assertEqual(scar.d1_team, ANSWER["d1_team"])
        with self.assertRaises(AccessError):
            portal.with_context(audit_reason="fine").action_accept()
        with self.assertRaises(AccessError):
            self.env["meddev.nonconformance"].with_user(self.portal).search([])

    def test_supplier_reports_exception(self):
        Nc = self.env["meddev.nonconformance"]
        with self.assertRaises(AccessError):
            Nc.with_user(self.portal).create(
                {"type_id": self.nc_type.id, "description": "x"}
            )
        with self.assertRaises(UserError):
            Nc.with_user(self.users["qa_engineer"]).create(
                {"type_id": self.nc_type.id, "description": "x", "source": "portal"}
            )
        record = Nc.with_user(self.portal)._meddev_create_from_portal(
            {"type_id": self.nc_type.id, "description": "Chamber 2 EO sensor failed"}
        )
        record = record.with_user(self.users["qa_manager"])
        self.assertEqual(
            (record.source, record.partner_id, record.detected_by_id, record.state),
            ("portal", self.sterilizer, self.portal, "new"),
        )
        self.assertIn(self.users["qa_manager"], record.activity_ids.user_id)


@tagged("post_install", "-at_install")
class TestScarPortalHttp(MeddevScarCase, HttpCase):
    """Over HTTP and in the browser, as the sterilizer's portal user."""

    def setUp(self):
        super().setUp()
        self.scar = self.issued_scar()
        self.other = self.issued_scar(partner=self.coater)

    def csrf_token(self, url=None):
        response = self.url_open(url or f"/my/meddev/scars/{self.scar.id}")
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def post(self, url, token_url=None, **data):
        response = self.url_open(
            url,
            data={"csrf_token": self.csrf_token(token_url), **data},
            allow_redirects=False,
        )
        self.env.invalidate_all()
        return response

    def test_pages_and_refusals(self):
        self.authenticate(LOGIN, LOGIN)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["meddev_scar_count"]}
        )
        self.assertEqual(counters, {"meddev_scar_count": 1})
        with self.assertNoLogs(level="ERROR"):
            self.assertIn("/my/meddev/scars", self.url_open("/my/home").text)
            listing = self.url_open("/my/meddev/scars").text
            self.assertIn(self.scar.name, listing)
            self.assertNotIn(self.other.name, listing)
            page = self.url_open(f"/my/meddev/scars/{self.scar.id}").text
            self.assertIn("D4 Root Cause", page)
            self.assertIn("EO exposure below", page)
            for url in (f"/my/meddev/scars/{self.other.id}", "/my/meddev/scars/0"):
                with self.subTest(url=url):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertTrue(response.headers["Location"].endswith("/my"))
            for step in ("save", "submit"):
                response = self.post(
                    f"/my/meddev/scars/{self.other.id}/{step}", password=LOGIN, **ANSWER
                )
                self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertEqual(self.other.state, "issued")
        self.assertFalse(self.other.d1_team)
        # over JSON-RPC: another supplier's SCAR, or a field not the supplier's
        for args in (
            [[self.other.id], ["name"]],
            [[self.scar.id], ["user_id"]],
        ):
            result = self.call_kw("meddev.scar", "read", args)
            self.assertIn("error", result)
        result = self.call_kw(
            "meddev.scar", "write", [[self.scar.id], {"state": "answered"}]
        )
        self.assertIn("error", result)
        self.assertEqual(self.scar.state, "issued")

    def call_kw(self, model, method, args):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_answer_and_sign(self):
        self.authenticate(LOGIN, LOGIN)
        url = f"/my/meddev/scars/{self.scar.id}"
        response = self.post(f"{url}/save", **{**ANSWER, "d4_root_cause": ""})
        self.assertTrue(response.headers["Location"].endswith(f"{url}?done=save"))
        self.assertEqual(self.scar.d1_team, ANSWER["d1_team"])
        # incomplete: refused, nothing signed
        response = self.post(
            f"{url}/submit", password=LOGIN, **{**ANSWER, "d4_root_cause": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_meddev_portal_error", response.text)
        self.assertEqual(self.scar.state, "issued")
        response = self.post(f"{url}/submit", password="not my password", **ANSWER)
        self.assertIn("o_meddev_portal_error", response.text)
        self.assertEqual(self.scar.state, "issued")
        response = self.post(f"{url}/submit", password=LOGIN, **ANSWER)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            (self.scar.state, self.scar.answered_by_id), ("answered", self.portal)
        )
        # answered: the supplier changes it no more
        response = self.post(f"{url}/save", **{**ANSWER, "d4_root_cause": "later"})
        self.assertIn("o_meddev_portal_error", response.text)
        self.assertEqual(self.scar.d4_root_cause, ANSWER["d4_root_cause"])

    def test_report_exception(self):
        self.authenticate(LOGIN_B, LOGIN_B)
        url = "/my/meddev/exceptions/new"
        page = self.url_open(url)
        self.assertIn(self.nc_type.name, page.text)
        response = self.post(url, token_url=url, type_id="", description="")
        self.assertIn("o_meddev_portal_error", response.text)
        response = self.post(
            url,
            token_url=url,
            type_id=str(self.nc_type.id),
            description="Coating thickness 42 µm on lot HA-2611-7",
            affected="HA-coated stem, lot HA-2611-7",
        )
        self.assertIn("o_meddev_exception_reported", response.text)
        record = self.env["meddev.nonconformance"].search(
            [("source", "=", "portal")], limit=1
        )
        self.assertEqual(record.partner_id, self.coater)
        self.assertIn("HA-2611-7", record.how_detected)
        self.assertIn(record.name, response.text)

    def test_tour_scar_portal(self):
        """In the browser: the supplier writes its 8D answer, saves it and
        submits it signed with its password."""
        self.start_tour("/my", "meddev_scar_portal", login=LOGIN)
        self.assertEqual(self.scar.state, "answered")
        self.assertEqual(self.scar.answered_by_id, self.portal)
        self.assertIn("calibration overdue", self.scar.d4_root_cause)
