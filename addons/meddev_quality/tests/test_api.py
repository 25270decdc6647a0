import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

ROUTE = "/meddev/api/v1/inspection-results"
PASSWORD = "Inspect-2026!"
LOT = "APT-2611-001"
SIGNED_LOT = "APT-2611-002"
DIAMETER = "Thread outer diameter"
FINISH = "Surface finish"


@tagged("post_install", "-at_install")
class TestResultsApi(HttpCase):
    """The inspection results API through real HTTP: instruments and MES post
    the measurements of a received lot's open inspection with the API key of
    an integration user; all or nothing, every value audited with that user
    as the author."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration = new_test_user(
            cls.env,
            login="test_md_api_mes",
            name="MES Line 3",
            groups="base.group_user,meddev_base.group_meddev_qc_inspector",
        )
        cls.inspector = new_test_user(
            cls.env,
            login="test_md_api_inspector",
            password=PASSWORD,
            groups="base.group_user,meddev_base.group_meddev_qc_inspector",
        )
        cls.auditor = new_test_user(
            cls.env,
            login="test_md_api_auditor",
            groups="base.group_user,meddev_base.group_meddev_auditor",
        )
        cls.employee = new_test_user(
            cls.env, login="test_md_api_employee", groups="base.group_user"
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Changzhou Precision Titanium Machining", "is_company": True}
        )
        cls.portal = new_test_user(
            cls.env,
            login="test_md_api_portal",
            groups="base.group_portal,meddev_base.group_meddev_supplier_portal",
        )
        cls.portal.partner_id.parent_id = cls.supplier
        cls.keys = {
            user: cls.api_key(user)
            for user in (cls.integration, cls.auditor, cls.employee, cls.portal)
        }
        cls.mm = cls.env.ref("uom.product_uom_millimeter")
        cls.cm = cls.env.ref("uom.product_uom_cm")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Cortical bone screw 4.5 mm",
                "default_code": "APT-SCR-45",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.test = cls.env["qc.test"].create(
            {
                "name": "Bone screw incoming inspection",
                "test_lines": [
                    Command.create(
                        {
                            "name": DIAMETER,
                            "type": "quantitative",
                            "min_value": 4.45,
                            "max_value": 4.55,
                            "uom_id": cls.mm.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": FINISH,
                            "type": "qualitative",
                            "ql_values": [
                                Command.create({"name": "OK", "ok": True}),
                                Command.create({"name": "Scratched", "ok": False}),
                            ],
                        }
                    ),
                ],
            }
        )
        cls.env["meddev.sampling.plan"].create(
            {
                "name": "Bone screws from the machining supplier",
                "product_id": cls.product.id,
                "partner_id": cls.supplier.id,
                "test_id": cls.test.id,
            }
        )
        cls.inspection = cls.receive(LOT)
        cls.signed_inspection = cls.receive(SIGNED_LOT)

    @classmethod
    def api_key(cls, user):
        expires = fields.Datetime.now() + timedelta(hours=12)
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "Results API", expires)
        )

    @classmethod
    def receive(cls, lot_name, qty=50, product=None):
        """A purchase order from the supplier, confirmed, and its receipt
        validated with the lot: the sampling plan's inspection of the lot."""
        product = product or cls.product
        order = cls.env["purchase.order"].create(
            {
                "partner_id": cls.supplier.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "price_unit": 2.5,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        move = picking.move_ids
        move.move_line_ids.unlink()
        lot = cls.env["stock.lot"].search(
            [("name", "=", lot_name), ("product_id", "=", product.id)]
        )
        cls.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "lot_name": False if lot else lot_name,
                "quantity": qty,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        picking.button_validate()
        inspection = cls.env["qc.inspection"].search(
            [
                ("lot_id.name", "=", lot_name),
                ("product_id", "=", product.id),
                ("meddev_plan_id", "!=", False),
            ],
            order="id desc",
            limit=1,
        )
        assert inspection.meddev_state == "todo"
        return inspection

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def post(self, payload, user=None, key=None, content_type="application/json"):
        headers = {"Content-Type": content_type}
        key = key or (self.keys[user] if user else None)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body = payload if isinstance(payload, str) else json.dumps(payload)
        response = self.url_open(ROUTE, data=body, headers=headers, timeout=60)
        # the request wrote in this test's transaction, through its own cache
        self.env.invalidate_all()
        return response

    def payload(self, *results, lot=LOT, **extra):
        return {"lot": lot, "results": list(results), **extra}

    def line(self, name, inspection=None):
        lines = (inspection or self.inspection).inspection_lines
        return lines.filtered(lambda line: line.name == name)

    def entries(self, inspection=None):
        return self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "qc.inspection.line"),
                ("res_id", "in", (inspection or self.inspection).inspection_lines.ids),
            ]
        )

    def snapshot(self, inspection=None):
        """The answers of the inspection and their audit trail."""
        inspection = inspection or self.inspection
        return (
            [
                (
                    line.quantitative_value,
                    line.uom_id.id,
                    line.qualitative_value.id,
                    line.meddev_value_entered,
                )
                for line in inspection.inspection_lines.sorted("id")
            ],
            self.entries(inspection).ids,
        )

    def assert_refused(self, response, status, *fragments):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(
            response.headers["Content-Type"], "application/json; charset=utf-8"
        )
        body = response.json()
        text = json.dumps(body, ensure_ascii=False)
        for fragment in fragments:
            self.assertIn(fragment, text)
        return body

    def item_errors(self, body):
        """{(index, field): message} of a refused call."""
        return {(e["index"], e["field"]): e["message"] for e in body["errors"]}

    def good(self):
        return (
            {"question": DIAMETER, "value": 4.51, "uom": "mm"},
            {"question": FINISH, "value": "OK"},
        )

    # ------------------------------------------------------------------
    # posting
    # ------------------------------------------------------------------
    def test_good_payload_writes_and_audits_as_integration_user(self):
        before = self.entries()
        response = self.post(self.payload(*self.good()), self.integration)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["inspection"], self.inspection.name)
        self.assertEqual(body["lot"], LOT)
        self.assertEqual(body["product_code"], "APT-SCR-45")
        diameter, finish = self.line(DIAMETER), self.line(FINISH)
        self.assertEqual(
            [
                (r["index"], r["line_id"], r["value"], r["uom"], r["success"])
                for r in body["results"]
            ],
            [(0, diameter.id, 4.51, "mm", True), (1, finish.id, "OK", None, True)],
        )
        self.assertEqual(diameter.quantitative_value, 4.51)
        self.assertEqual(diameter.uom_id, self.mm)
        self.assertTrue(diameter.meddev_value_entered)
        self.assertTrue(diameter.success)
        self.assertEqual(finish.qualitative_value.name, "OK")
        self.assertTrue(finish.success)
        self.assertEqual(diameter.write_uid, self.integration)
        entries = self.entries() - before
        self.assertEqual(len(entries), 2)
        self.assertEqual(entries.user_id, self.integration)
        self.assertEqual(set(entries.mapped("operation")), {"write"})
        self.assertEqual(set(entries.mapped("res_id")), {diameter.id, finish.id})
        reason = "Posted by MES Line 3 through the inspection results API"
        self.assertEqual(set(entries.mapped("reason")), {reason})
        self.assertEqual(body["reason"], reason)
        diameter_entry = entries.filtered(lambda e: e.res_id == diameter.id)
        self.assertIn("quantitative_value", diameter_entry.changed_fields)
        # the inspection is answered: the inspector can sign it
        self.assertFalse(self.inspection._meddev_record_problems())

    def test_reason_given_is_recorded(self):
        before = self.entries()
        response = self.post(
            self.payload(*self.good(), reason="CMM run 4711, operator Li"),
            self.integration,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            set((self.entries() - before).mapped("reason")),
            {"CMM run 4711, operator Li"},
        )

    def test_question_by_id_product_and_other_unit(self):
        """A question by its id, the product to tell the lot, a value in cm
        judged against the limits in mm; a value out of the limits is a
        result (a defective), not an error."""
        question = self.line(DIAMETER).test_line
        response = self.post(
            self.payload(
                {"question": question.id, "value": 0.455, "uom": "cm"},
                {"question": FINISH, "value": "Scratched"},
                product="APT-SCR-45",
            ),
            self.integration,
        )
        self.assertEqual(response.status_code, 200, response.text)
        diameter = self.line(DIAMETER)
        self.assertEqual(diameter.uom_id, self.cm)
        self.assertEqual(diameter.quantitative_value, 0.455)
        self.assertTrue(diameter.success)  # 4.55 mm, the upper limit
        self.assertFalse(self.line(FINISH).success)
        self.assertEqual(self.inspection.defects_major, 1)
        response = self.post(
            self.payload({"question": DIAMETER, "value": 0.46, "uom": "cm"}),
            self.integration,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertFalse(response.json()["results"][0]["success"])
        self.assertFalse(self.line(DIAMETER).success)
        self.assertEqual(self.inspection.defects_major, 2)

    def test_lot_open_twice_is_told_apart(self):
        """The same lot number open for another product, then received twice:
        the caller names the product, then the inspection."""
        other = self.product.create(
            {
                "name": "Cortical bone screw 3.5 mm",
                "default_code": "APT-SCR-35",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        self.env["meddev.sampling.plan"].create(
            {
                "name": "Small bone screws",
                "product_id": other.id,
                "partner_id": self.supplier.id,
                "test_id": self.test.id,
            }
        )
        other_inspection = self.receive(LOT, product=other)
        before = self.snapshot()
        response = self.post(self.payload(*self.good()), self.integration)
        body = self.assert_refused(response, 400, "open for several products")
        self.assertEqual(body["errors"][0]["field"], "product")
        again = self.receive(LOT)
        response = self.post(
            self.payload(*self.good(), product="APT-SCR-45"), self.integration
        )
        body = self.assert_refused(
            response, 400, "several open inspections", self.inspection.name, again.name
        )
        self.assertEqual(body["errors"][0]["field"], "inspection")
        self.assertEqual(self.snapshot(), before)
        response = self.post(
            self.payload(*self.good(), product="APT-SCR-45", inspection=again.name),
            self.integration,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["inspection"], again.name)
        self.assertEqual(self.line(DIAMETER, again).quantitative_value, 4.51)
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(self.line(DIAMETER, other_inspection).meddev_value_entered)

    # ------------------------------------------------------------------
    # refused payloads: every problem named with its item, nothing written
    # ------------------------------------------------------------------
    def test_unknown_lot(self):
        before = self.snapshot()
        response = self.post(
            self.payload(*self.good(), lot="APT-0000-999"), self.integration
        )
        body = self.assert_refused(response, 400, "Unknown lot APT-0000-999")
        self.assertEqual(body["errors"][0]["field"], "lot")
        response = self.post(
            self.payload(*self.good(), product="OTHER-1"), self.integration
        )
        self.assert_refused(
            response, 400, "Unknown lot APT-2611-001 of product OTHER-1"
        )
        self.assertEqual(self.snapshot(), before)

    def test_item_errors_listed_with_their_index(self):
        """Wrong unit, unknown unit, text or a boolean for a measurement, no
        unit, unknown question, unknown answer, duplicate question: each
        reported, nothing written."""
        before = self.snapshot()
        response = self.post(
            self.payload(
                {"question": DIAMETER, "value": 4.51, "uom": "kg"},
                {"question": DIAMETER, "value": 4.51, "uom": "furlong"},
                {"question": DIAMETER, "value": "4.51", "uom": "mm"},
                {"question": DIAMETER, "value": True, "uom": "mm"},
                {"question": DIAMETER, "value": 4.51},
                {"question": "Head height", "value": 2.1, "uom": "mm"},
                {"question": FINISH, "value": "Shiny"},
                {"question": FINISH, "value": 1},
                {"question": FINISH, "value": "OK", "uom": "mm"},
                {"question": FINISH, "value": "OK", "unit": "mm"},
                "not an object",
            ),
            self.integration,
        )
        body = self.assert_refused(response, 400, "Nothing was written")
        errors = self.item_errors(body)
        self.assertIn("Wrong unit kg", errors[(0, "uom")])
        self.assertIn("the question is measured in mm", errors[(0, "uom")])
        self.assertIn("Unknown unit furlong", errors[(1, "uom")])
        # the same question again: told, and its value checked all the same
        self.assertIn("is given twice (results 0 and 1)", errors[(1, "question")])
        self.assertIn("must be a number", errors[(2, "value")])
        self.assertIn('"4.51"', errors[(2, "value")])
        self.assertIn("must be a number", errors[(3, "value")])
        self.assertIn("uom is required", errors[(4, "uom")])
        self.assertIn("Unknown question Head height", errors[(5, "question")])
        self.assertIn(DIAMETER, errors[(5, "question")])
        self.assertIn("one of its answers OK, Scratched", errors[(6, "value")])
        self.assertIn('"Shiny"', errors[(6, "value")])
        self.assertIn("one of its answers", errors[(7, "value")])
        self.assertIn("takes no uom", errors[(8, "uom")])
        self.assertIn("Unknown key unit", errors[(9, "unit")])
        self.assertIn("Each result is an object", errors[(10, None)])
        self.assertEqual(self.snapshot(), before)

    def test_duplicate_question(self):
        before = self.snapshot()
        response = self.post(
            self.payload(
                {"question": DIAMETER, "value": 4.51, "uom": "mm"},
                {"question": FINISH, "value": "OK"},
                {"question": DIAMETER, "value": 4.52, "uom": "mm"},
            ),
            self.integration,
        )
        body = self.assert_refused(response, 400)
        self.assertEqual(
            self.item_errors(body),
            {
                (2, "question"): f"Question {DIAMETER} is given twice (results 0 "
                "and 2): post one value per question."
            },
        )
        self.assertEqual(self.snapshot(), before)

    def test_mixed_good_and_bad_items_write_nothing(self):
        before = self.snapshot()
        response = self.post(
            self.payload(
                {"question": DIAMETER, "value": 4.51, "uom": "mm"},
                {"question": FINISH, "value": "Shiny"},
            ),
            self.integration,
        )
        body = self.assert_refused(response, 400)
        self.assertEqual(
            [(e["index"], e["field"]) for e in body["errors"]], [(1, "value")]
        )
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(self.line(DIAMETER).meddev_value_entered)

    def test_malformed_requests(self):
        before = self.snapshot()
        self.assert_refused(
            self.post("{not json", self.integration), 400, "not valid JSON"
        )
        self.assert_refused(
            self.post([], self.integration), 400, "must be a JSON object"
        )
        body = self.assert_refused(
            self.post({"lot": 12, "results": [], "quantity": 1}, self.integration),
            400,
        )
        self.assertEqual(
            {e["field"] for e in body["errors"]}, {"lot", "results", "quantity"}
        )
        self.assert_refused(
            self.post(
                "lot=APT-2611-001",
                self.integration,
                content_type="application/x-www-form-urlencoded",
            ),
            415,
            "Content-Type: application/json",
        )
        self.assertEqual(self.snapshot(), before)

    def test_signed_inspection_is_frozen(self):
        inspection = self.signed_inspection
        inspection.inspection_lines.filtered(
            lambda line: line.question_type == "quantitative"
        ).with_user(self.inspector).write({"quantitative_value": 4.5})
        inspection.inspection_lines.filtered(
            lambda line: line.question_type == "qualitative"
        ).with_user(self.inspector).write(
            {"qualitative_value": self.line(FINISH).possible_ql_values[:1].id}
        )
        inspection.with_user(self.inspector)._meddev_sign("record", PASSWORD)
        self.assertEqual(inspection.meddev_state, "recorded")
        before = self.snapshot(inspection)
        response = self.post(
            self.payload(*self.good(), lot=SIGNED_LOT), self.integration
        )
        self.assert_refused(
            response, 409, f"Lot {SIGNED_LOT} has no open inspection", inspection.name
        )
        self.assertEqual(self.snapshot(inspection), before)

    # ------------------------------------------------------------------
    # authentication and rights
    # ------------------------------------------------------------------
    def test_no_key_or_wrong_key(self):
        before = self.snapshot()
        response = self.post(self.payload(*self.good()))
        self.assert_refused(response, 401, "Authorization: Bearer")
        self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        failures = self.env["meddev.login.failure"].search([]).ids
        attempts = self.env["meddev.audit.entry"].search(
            [("operation", "=", "login_failed")]
        )
        response = self.post(self.payload(*self.good()), key="0" * 40)
        self.assert_refused(response, 401, "Invalid or expired API key")
        # a failed access attempt for the security officers: counted per
        # address and hour, the first one also in the audit trail
        self.post(self.payload(*self.good()), key="1" * 40)
        failure = self.env["meddev.login.failure"].search([("id", "not in", failures)])
        self.assertEqual(failure.attempt_count, 2)
        self.assertIn("invalid or expired API key", failure.last_reason)
        entry = (
            self.env["meddev.audit.entry"].search([("operation", "=", "login_failed")])
            - attempts
        )
        self.assertEqual(len(entry), 1)
        self.assertIn("invalid or expired API key", entry.reason_display)
        # a browser session is no key: the route never runs as its user
        self.authenticate(self.inspector.login, PASSWORD)
        response = self.post(self.payload(*self.good()))
        self.assert_refused(response, 401, "Authorization: Bearer")
        self.assertEqual(self.snapshot(), before)

    def test_user_without_rights(self):
        before = self.snapshot()
        # the auditor reads inspections, writes none
        response = self.post(self.payload(*self.good()), self.auditor)
        self.assert_refused(
            response, 403, "may not enter inspection results", "QC Inspector"
        )
        # an employee without a QMS role
        response = self.post(self.payload(*self.good()), self.employee)
        self.assert_refused(response, 403, "may not enter inspection results")
        self.assertEqual(self.snapshot(), before)

    def test_portal_user_refused(self):
        before = self.snapshot()
        response = self.post(self.payload(*self.good()), self.portal)
        self.assert_refused(response, 403, "is not an internal user")
        self.assertEqual(self.snapshot(), before)

    def test_archived_integration_user_refused(self):
        self.integration.active = False
        response = self.post(self.payload(*self.good()), self.integration)
        self.assert_refused(response, 401, "Invalid or expired API key")
