from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import MeddevCase, load_fake_model


@tagged("post_install", "-at_install")
class TestSupplierScope(MeddevCase):
    """A supplier's portal users read and change their own company's records
    only; internal users are not restricted by the supplier rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .supplier_scope_tester import MeddevSupplierScopeTester

        model = cls._load_fake_model(MeddevSupplierScopeTester)
        portal = cls.env.ref("meddev_base.group_meddev_supplier_portal")
        cls.env["ir.model.access"].create(
            {
                "name": "supplier scope tester for suppliers",
                "model_id": model.id,
                "group_id": portal.id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": False,
            }
        )
        Partner = cls.env["res.partner"]
        cls.sterilizer = Partner.create(
            {"name": "Suzhou Jierui Sterilization Services", "is_company": True}
        )
        cls.coater = Partner.create(
            {"name": "Wuxi Biocoat Surface Technology", "is_company": True}
        )
        cls.sterilizer_contact = Partner.create(
            {"name": "Ma Jun", "parent_id": cls.sterilizer.id}
        )
        cls.sterilizer_user = new_test_user(
            cls.env,
            login="test_md_portal_eo",
            groups="base.group_portal,meddev_base.group_meddev_supplier_portal",
            partner_id=cls.sterilizer_contact.id,
        )
        cls.coater_user = new_test_user(
            cls.env,
            login="test_md_portal_ha",
            groups="base.group_portal,meddev_base.group_meddev_supplier_portal",
        )
        cls.coater_user.partner_id.parent_id = cls.coater
        Tester = cls.env["meddev.supplier.scope.tester"]
        cls.eo_job = Tester.create(
            {"name": "EO lot 2026-118", "partner_id": cls.sterilizer_contact.id}
        )
        cls.ha_job = Tester.create(
            {"name": "HA coating lot 2026-071", "partner_id": cls.coater.id}
        )

    def test_rule_created_for_the_model(self):
        rule = self.env.ref(
            "meddev_base.supplier_scope_rule_meddev_supplier_scope_tester"
        )
        self.assertEqual(
            rule.groups, self.env.ref("meddev_base.group_meddev_supplier_portal")
        )
        self.assertIn("meddev_supplier_id", rule.domain_force)
        self.assertEqual(self.eo_job.meddev_supplier_id, self.sterilizer)

    def test_portal_user_sees_own_supplier_only(self):
        Tester = self.env["meddev.supplier.scope.tester"]
        self.assertEqual(Tester.with_user(self.sterilizer_user).search([]), self.eo_job)
        self.assertEqual(Tester.with_user(self.coater_user).search([]), self.ha_job)
        # reading, changing or linking another supplier's record by its id
        # (what an RPC call does) is refused
        with self.assertRaises(AccessError):
            self.ha_job.with_user(self.sterilizer_user).read(["name"])
        with self.assertRaises(AccessError):
            self.ha_job.with_user(self.sterilizer_user).write({"name": "changed"})
        with self.assertRaises(AccessError):
            Tester.with_user(self.sterilizer_user).create(
                {"name": "Forged", "partner_id": self.coater.id}
            )
        self.assertEqual(self.ha_job.name, "HA coating lot 2026-071")
        # the own supplier's records are read and updated
        self.eo_job.with_user(self.sterilizer_user).write(
            {"name": "EO lot 2026-118 ack"}
        )
        self.assertEqual(self.eo_job.name, "EO lot 2026-118 ack")

    def test_internal_users_not_restricted_by_the_supplier_rule(self):
        Tester = self.env["meddev.supplier.scope.tester"]
        for role in ("buyer", "auditor", "qa_manager"):
            self.assertEqual(
                Tester.with_user(self.users[role]).search([]),
                self.eo_job | self.ha_job,
                role,
            )

    def test_portal_user_reads_the_whitelisted_fields_only(self):
        own = self.eo_job.with_user(self.sterilizer_user)
        self.assertEqual(own.read(["name"])[0]["name"], "EO lot 2026-118")
        # a field the model does not list for suppliers: refused, also in a
        # search, an order, a group, and left out of a read of every field
        with self.assertRaises(AccessError):
            own.read(["notes"])
        with self.assertRaises(AccessError):
            own.search([("notes", "=", "x")])
        with self.assertRaises(AccessError):
            own.search([], order="notes")
        with self.assertRaises(AccessError):
            own.write({"notes": "changed"})
        self.assertEqual(
            set(own.read()[0]),
            {"id", "display_name", "meddev_supplier_id", "name", "partner_id"},
        )
        self.assertNotIn("notes", own.fields_get())
        # the record's values read by attribute are fetched field by field
        self.assertEqual(own.partner_id, self.sterilizer_contact)
        # internal users read every field
        self.assertIn("notes", self.eo_job.with_user(self.users["buyer"]).read()[0])

    def test_moving_a_record_to_another_supplier_moves_its_visibility(self):
        self.eo_job.partner_id = self.coater
        Tester = self.env["meddev.supplier.scope.tester"]
        self.assertFalse(Tester.with_user(self.sterilizer_user).search([]))
        self.assertEqual(
            Tester.with_user(self.coater_user).search([]), self.eo_job | self.ha_job
        )


@tagged("post_install", "-at_install")
class TestSupplierScopeRpc(HttpCase):
    """Over JSON-RPC, as the web client and integrations call the server, a
    supplier's portal user is refused another supplier's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .supplier_scope_tester import MeddevSupplierScopeTester

        model = load_fake_model(cls, MeddevSupplierScopeTester)
        cls.env["ir.model.access"].create(
            {
                "name": "supplier scope tester for suppliers",
                "model_id": model.id,
                "group_id": cls.env.ref("meddev_base.group_meddev_supplier_portal").id,
                "perm_read": True,
            }
        )
        Partner = cls.env["res.partner"]
        sterilizer = Partner.create({"name": "EO sterilizer", "is_company": True})
        coater = Partner.create({"name": "HA coater", "is_company": True})
        cls.portal_user = new_test_user(
            cls.env,
            login="test_md_rpc_eo",
            password="test_md_rpc_eo",
            groups="base.group_portal,meddev_base.group_meddev_supplier_portal",
        )
        cls.portal_user.partner_id.parent_id = sterilizer
        Tester = cls.env["meddev.supplier.scope.tester"]
        cls.own = Tester.create({"name": "EO lot", "partner_id": sterilizer.id})
        cls.other = Tester.create({"name": "HA lot", "partner_id": coater.id})

    def call(self, method, *args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/meddev.supplier.scope.tester/{method}",
            {
                "model": "meddev.supplier.scope.tester",
                "method": method,
                "args": list(args),
                "kwargs": {},
            },
        )

    def test_rpc_read_of_another_suppliers_record_is_refused(self):
        self.authenticate("test_md_rpc_eo", "test_md_rpc_eo")
        found = self.call("search_read", [], ["name"])
        self.assertEqual([row["name"] for row in found], ["EO lot"])
        self.assertEqual(self.call("read", self.own.ids, ["name"])[0]["name"], "EO lot")
        with self.assertRaises(JsonRpcException) as caught:
            self.call("read", self.other.ids, ["name"])
        self.assertIn("AccessError", str(caught.exception))
        # and a field of its own record that suppliers do not see
        with self.assertRaises(JsonRpcException) as caught:
            self.call("read", self.own.ids, ["notes"])
        self.assertIn("AccessError", str(caught.exception))
