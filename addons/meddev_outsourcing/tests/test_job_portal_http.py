import json

from odoo.tests import HttpCase, tagged

from .test_job_portal import LOGIN, MeddevJobPortalCase


@tagged("post_install", "-at_install")
class TestJobPortalHttp(MeddevJobPortalCase, HttpCase):
    """The supplier's outsourcing jobs on /my, over HTTP, JSON-RPC and in the
    browser, as the machining supplier's portal user: its jobs show and take
    its steps; another supplier's job, lot or specification is refused."""

    def setUp(self):
        super().setUp()
        self.job, self.other = self.jobs()

    def csrf_token(self):
        """The form token of the portal user's session, from the job's page."""
        response = self.url_open(f"/my/meddev/jobs/{self.job.id}")
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def post(self, job, step, files=None, **data):
        response = self.url_open(
            f"/my/meddev/jobs/{job.id}/{step}",
            data={"csrf_token": self.csrf_token(), **data},
            files=files,
            allow_redirects=False,
        )
        # what the request wrote, not what the test read before
        self.env.invalidate_all()
        return response

    def call_kw(self, model, method, args, kwargs=None):
        """A JSON-RPC call as the logged-in user: its result or its error."""
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
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_pages_and_refusals(self):
        draft = self.confirm_po()
        self.authenticate(LOGIN, LOGIN)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["meddev_outsourcing_job_count"]}
        )
        self.assertEqual(counters, {"meddev_outsourcing_job_count": 1})
        with self.assertNoLogs(level="ERROR"):
            home = self.url_open("/my/home")
            self.assertIn("/my/meddev/jobs", home.text)
            listing = self.url_open("/my/meddev/jobs")
            self.assertIn(self.job.name, listing.text)
            self.assertNotIn(self.other.name, listing.text)
            self.assertNotIn(draft.name, listing.text)
            page = self.url_open(f"/my/meddev/jobs/{self.job.id}")
            self.assertEqual(page.status_code, 200)
            # the user's language decides the labels: the data and the markup
            for text in (
                "PS-CNC-001",
                "Thread outer diameter",
                "4.45 – 4.55 mm",
                "Certificate of Conformance",
                "o_meddev_job_acknowledge",
            ):
                self.assertIn(text, page.text)
            for url in (
                f"/my/meddev/jobs/{self.other.id}",
                f"/my/meddev/jobs/{draft.id}",
                "/my/meddev/jobs/999999999",
            ):
                with self.subTest(url=url):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertIn(response.status_code, (302, 303))
                    self.assertTrue(response.headers["Location"].endswith("/my"))
            # a step posted to another supplier's job changes nothing
            response = self.post(self.other, "acknowledge")
            self.assertTrue(response.headers["Location"].endswith("/my"))
            response = self.post(
                self.other,
                "record",
                **{f"value_{self.od.id}": "4.50", f"uom_{self.od.id}": "mm"},
            )
            self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertEqual(self.other.state, "sent")
        self.assertFalse(self.other.record_ids)

    def test_json_rpc_refusals(self):
        self.receive(self.other, lot_name="SCR-COATER-009")
        self.authenticate(LOGIN, LOGIN)
        refused = [
            ("meddev.outsourcing.job", "read", [[self.other.id], ["name"]]),
            ("meddev.outsourcing.job", "write", [[self.job.id], {"state": "released"}]),
            ("meddev.outsourcing.job", "write", [[self.job.id], {"spec_id": False}]),
            ("meddev.outsourcing.job", "write", [[self.job.id], {"notes": "<p>x</p>"}]),
            ("meddev.outsourcing.job", "read", [[self.job.id], ["notes"]]),
            ("stock.lot", "read", [[self.other.lot_id.id], ["name"]]),
            (
                "meddev.outsourcing.process.record",
                "create",
                [self.record_values(self.other)],
            ),
        ]
        for model, method, args in refused:
            with self.subTest(model=model, method=method, args=args):
                result = self.call_kw(model, method, args)
                self.assertIn("error", result)
        found = self.call_kw("stock.lot", "search_read", [[]], {"fields": ["name"]})[
            "result"
        ]
        self.assertNotIn("SCR-COATER-009", [lot["name"] for lot in found])
        jobs = self.call_kw(
            "meddev.outsourcing.job", "search_read", [[]], {"fields": ["name", "state"]}
        )["result"]
        self.assertEqual([job["name"] for job in jobs], [self.job.name])
        self.assertEqual((self.job.state, self.job.spec_id), ("sent", self.spec))
        self.assertFalse(self.other.record_ids)

    def test_end_to_end(self):
        """Acknowledge, start, record (refused bad input first), upload the
        CoC and submit the record signed with the password, over HTTP."""
        self.authenticate(LOGIN, LOGIN)
        url = f"/my/meddev/jobs/{self.job.id}"
        response = self.post(self.job, "acknowledge")
        self.assertTrue(
            response.headers["Location"].endswith(f"{url}?done=acknowledge")
        )
        self.assertEqual(self.job.state, "acknowledged")
        self.post(self.job, "start")
        self.assertEqual(self.job.state, "in_process")
        # the model's message names the parameter and what was given
        bad = {
            "about 4.5": {
                f"value_{self.od.id}": "about 4.5",
                f"uom_{self.od.id}": "mm",
            },
            "Thread outer diameter": {
                f"value_{self.od.id}": "4.50",
                f"uom_{self.od.id}": "",
            },
            "inch": {f"value_{self.od.id}": "4.50", f"uom_{self.od.id}": "inch"},
        }
        for message, values in bad.items():
            with self.subTest(message=message):
                response = self.post(
                    self.job,
                    "record",
                    **values,
                    **{f"value_{self.ra.id}": "0.6", f"uom_{self.ra.id}": "µm"},
                )
                self.assertEqual(response.status_code, 200)
                error = response.text[response.text.index("o_meddev_portal_error") :]
                self.assertIn(message, error[: error.index("</div>")])
                self.assertFalse(self.job.record_ids)
        response = self.post(
            self.job,
            "record",
            **{
                f"value_{self.od.id}": "4.51",
                f"uom_{self.od.id}": "mm",
                f"value_{self.ra.id}": "0.6",
                f"uom_{self.ra.id}": "µm",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.job.record_ids.mapped("value_entered"), ["4.51", "0.6"])
        self.assertTrue(self.job.record_complete)
        # a changed value updates the record
        response = self.post(
            self.job,
            "record",
            **{
                f"value_{self.od.id}": "4.49",
                f"uom_{self.od.id}": "mm",
                f"value_{self.ra.id}": "0.6",
                f"uom_{self.ra.id}": "µm",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.job.record_ids.mapped("value_entered"), ["4.49", "0.6"])
        self.post(
            self.job,
            "upload",
            code="coc",
            name="CoC lot 1",
            files={"attachment": ("coc.pdf", b"%PDF-1.4 coc", "application/pdf")},
        )
        self.assertEqual(self.job.document_ids.mapped("filename"), ["coc.pdf"])
        self.assertFalse(self.job._missing_documents())
        response = self.post(self.job, "submit", password="not my password")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_meddev_portal_error", response.text)
        self.assertFalse(self.job.record_submitted_on)
        response = self.post(self.job, "submit", password=LOGIN)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.job.record_submitted_by_id, self.portal)
        self.assertFalse(self.job.deviating)
        page = self.url_open(response.headers["Location"])
        self.assertIn("o_meddev_job_submitted", page.text)
        self.assertNotIn("o_meddev_job_submit_form", page.text)

    def test_tour_job_portal(self):
        """In the browser: acknowledge the job, enter its record values and
        submit them with the password."""
        self.start_tour("/my", "meddev_outsourcing_portal", login=LOGIN)
        self.assertEqual(self.job.state, "acknowledged")
        self.assertEqual(self.job.record_ids.mapped("value_entered"), ["4.52", "0.4"])
        self.assertEqual(self.job.record_submitted_by_id, self.portal)
