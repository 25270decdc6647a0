"""Generic tests of every model that uses the signature or stage mixins, on the
demo database: its controlled states are reached only through their actions
(on create as on write), and every shipped signature rule, signed by a demo
role, gives a signature that matches the record right after signing and stops
matching after a later real change."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.meddev_base.models.meddev_mixin_contract import inherits

DEMO_PASSWORD = "meddev-demo"  # documented in README.md
DEMO_LOGINS = (
    "qa_manager",
    "director",
    "qa_engineer",
    "qms_admin",
    "buyer",
    "planner",
    "production",
    "inspector",
    "warehouse",
    "auditor",
    "doc_controller",
    "regulatory",
)
GUARDS = (
    "only through its actions",
    "first stage",
    "only by the electronic signature",
    "leaves it only by the electronic signature",
    # evaluations are only started from their qualification
    "not created on its own",
)
COMMENT = "Generic signature test: reason given"


def _make_review(env):
    return env["meddev.audit.review"].create({})


def _make_sod_exception(env):
    return env["meddev.sod.exception"].create(
        {
            "conflict_id": env.ref("meddev_base.sod_conflict_admin_qa_manager").id,
            "user_id": env["res.users"].search([("login", "=", "qa_engineer")]).id,
            "reason": "Cover during the annual audit week, reviewed by the director.",
        }
    )


def _make_supplier_audit(env):
    return env["meddev.supplier.audit"].create(
        {
            "partner_id": env.ref("meddev_demo.partner_eo_sterilizer").id,
            "planned_date": fields.Date.today(),
            "lead_auditor_id": env["res.users"].search([("login", "=", "director")]).id,
        }
    )


def _make_change_notice(env):
    return env["meddev.supplier.change.notice"].create(
        {
            "partner_id": env.ref("meddev_demo.partner_eo_sterilizer").id,
            "change_type": "equipment",
            "description": "Second EO chamber (20 m³).",
            "scope_ids": [
                (6, 0, env.ref("meddev_supplier.scope_eo_sterilization").ids)
            ],
        }
    )


def _make_finding(env):
    return env["meddev.supplier.audit.finding"].create(
        {"audit_id": _make_supplier_audit(env).id, "description": "Logbook gaps."}
    )


def _reduced_eligible(env, switch):
    """Switching to reduced inspection needs a switching score of 30 on
    normal inspection (GB/T 2828.1 §9.3.3), which no demo supplier has yet."""
    env.cr.execute(
        SQL(
            "UPDATE %s SET switching_score = 30, reduced_eligible = TRUE WHERE id = %s",
            SQL.identifier(switch._table),
            switch.id,
        )
    )
    switch.invalidate_recordset()


# signed steps that need more than their state: how the test meets it (test
# set-up, raw SQL, like the state)
def _scar_answered(env, scar):
    """The 8D answer written (test set-up: the record is put in its state)."""
    scar.sudo().write(
        {
            name: f"{scar._fields[name].string}: answered"
            for name in scar._fields
            if name.startswith("d") and name[1:2].isdigit()
        }
    )


def _set(env, record, **values):
    """Put ``values`` on ``record`` by raw SQL (test set-up, like the state)."""
    for name, value in values.items():
        env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = %s",
                SQL.identifier(record._table),
                SQL.identifier(name),
                value,
                record.id,
            )
        )
    record.invalidate_recordset()


def _unsigned(record):
    """A record that carries no earlier signature: a grade or a CAPA decision
    changed later (by a signed regrade, or here by SQL) rightly shows that
    the content an earlier signature bound has changed."""
    if record.signature_ids:
        # a test's own refusal, skipped by try_sign: nothing a user reads
        raise UserError("signed before: the test takes an unsigned one")  # pylint: disable=translation-required


def _regrade_proposed(env, exception):
    """The new grade given before the signed regrade."""
    _unsigned(exception)
    exception.sudo().write({"proposed_grade": "critical"})


def _exception_closable(env, exception):
    """The CAPA decided, the lots dispositioned (set up by SQL)."""
    _unsigned(exception)
    _set(
        env,
        exception,
        capa_required="no",
        capa_rationale="Isolated event",
        holds_active=False,
    )
    for hold in exception.hold_ids:
        _set(env, hold, state="released")
    for scar in exception.sudo().scar_ids:
        _set(env, scar, state="accepted")
    exception.invalidate_recordset()


def _critical_concession(env, disposition):
    """A concession on a critical exception awaits the management
    representative."""
    _set(env, disposition, disposition="concession", justification="Agreed")
    _set(env, disposition.nonconformance_id, grade="critical")


def _capa_actions_done(env, capa):
    for action in capa.action_ids:
        _set(env, action, state="done")


def _capa_effective(env, capa):
    _set(env, capa, effectiveness_result="effective")


PRECONDITIONS = {
    ("meddev.sampling.switch", "to_reduced"): _reduced_eligible,
    ("meddev.scar", "answer"): _scar_answered,
    ("meddev.nonconformance", "regrade"): _regrade_proposed,
    ("meddev.nonconformance", "close"): _exception_closable,
    ("meddev.nonconformance.disposition", "authorize"): _critical_concession,
    ("meddev.capa", "complete_implementation"): _capa_actions_done,
    ("meddev.capa", "close"): _capa_effective,
}


# models without demo records: how the test makes one (in its first stage)
def _make_scar(env):
    return env["meddev.scar"].create(
        {
            "partner_id": env.ref("meddev_demo.partner_eo_sterilizer").id,
            "problem_statement": "EO concentration below the validated range.",
            "date_due": fields.Date.add(fields.Date.today(), days=14),
        }
    )


def _make_disposition(env):
    """A proposed scrap of one unit of a lot held by an exception (the lot
    put in quarantine and the exception in its open state: test set-up)."""
    product = env["product.product"].create(
        {"name": "Held test component", "is_storable": True, "tracking": "lot"}
    )
    lot = env["stock.lot"].create({"name": "HELD-TEST-1", "product_id": product.id})
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    env["stock.quant"]._update_available_quantity(
        product, warehouse._meddev_quarantine_location(), 10, lot_id=lot
    )
    exception = env["meddev.nonconformance"].create(
        {
            "type_id": env.ref("meddev_quality.nonconformance_type_material_lot").id,
            "description": "Cracked housings",
            "product_id": product.id,
            "lot_ids": [(6, 0, lot.ids)],
            "quantity": 10,
        }
    )
    _set(env, exception, state="open")
    return env["meddev.nonconformance.disposition"].create(
        {
            "nonconformance_id": exception.id,
            "hold_id": exception.hold_ids.id,
            "disposition": "scrap",
            "quantity": 1,
        }
    )


def _make_capa(env):
    """A CAPA with its 5 Why, root cause and plan, its check due today."""
    today = fields.Date.today()
    planner = env["res.users"].search([("login", "=", "planner")])
    capa = env["meddev.capa"].create(
        {
            "title": "Coating adhesion below 15 MPa",
            "date_due": fields.Date.add(today, days=30),
            "root_cause_method": "five_why",
            "why_1": "Adhesion low: grit blasting too light.",
            "why_2": "Blasting pressure drifted.",
            "why_3": "Pressure not recorded per batch.",
            "why_4": "Record form lacks the field.",
            "why_5": "Process spec not reviewed after the new blaster.",
            "root_cause_category": "method",
            "root_cause": "Blasting pressure not controlled per batch.",
            "effectiveness_criterion": "No adhesion failure in 5 lots.",
            "effectiveness_date": today,
            "action_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Record blasting pressure per batch",
                        "user_id": planner.id,
                        "date_due": today,
                    },
                )
            ],
        }
    )
    return capa


def _make_capa_extension(env):
    capa = _make_capa(env)
    return env["meddev.capa.extension"].create(
        {
            "capa_id": capa.id,
            "new_date": fields.Date.add(capa.date_due, days=30),
            "reason": "The coater's next lots come in two months.",
        }
    )


MAKERS = {
    "meddev.nonconformance.disposition": _make_disposition,
    "meddev.capa": _make_capa,
    "meddev.capa.extension": _make_capa_extension,
    "meddev.audit.review": _make_review,
    "meddev.sod.exception": _make_sod_exception,
    "meddev.supplier.audit": _make_supplier_audit,
    "meddev.supplier.change.notice": _make_change_notice,
    "meddev.supplier.audit.finding": _make_finding,
    "meddev.scar": _make_scar,
}


@tagged("post_install", "-at_install")
class TestControlledStates(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models = sorted(
            name
            for name, model in cls.env.registry.items()
            if not model._abstract
            and not model._transient
            and inherits(model, "meddev.signature.mixin")
            and model._audit_state_field in model._fields
        )
        cls.demo_users = cls.env["res.users"].search([("login", "in", DEMO_LOGINS)])

    def samples(self, model):
        """A record made for the test by its maker, or else the demo
        records of ``model``."""
        if model in MAKERS:
            return MAKERS[model](self.env)
        records = self.env[model].search([], order="id")
        self.assertTrue(
            records,
            f"{model} has no demo record and no maker in {__name__}: add one",
        )
        return records

    def user_for(self, model, operation):
        """A demo user who may ``operation`` the model (admin, not in
        superuser mode, when no demo role may)."""
        for user in self.demo_users:
            if self.env[model].with_user(user).has_access(operation):
                return user
        return self.env.ref("base.user_admin")

    def assertGuarded(self, call, what):
        with self.assertRaises(UserError, msg=what) as caught:
            with self.env.cr.savepoint():
                call()
        self.assertTrue(
            any(guard in str(caught.exception) for guard in GUARDS),
            f"{what}: refused for another reason: {caught.exception}",
        )

    def states(self, model):
        field = self.env[model]._fields[self.env[model]._audit_state_field]
        return [code for code, _label in field._description_selection(self.env)]

    def test_every_model_is_covered(self):
        self.assertIn("meddev.supplier.qualification", self.models)
        self.assertIn("meddev.audit.review", self.models)

    def test_controlled_states_unreachable_by_create(self):
        for model in self.models:
            Model = self.env[model]
            sample = self.samples(model)[0]
            initial = Model.default_get([Model._audit_state_field]).get(
                Model._audit_state_field
            )
            user = self.user_for(model, "create")
            vals = sample.copy_data()[0]
            for state in self.states(model):
                if state == initial:
                    continue
                with self.subTest(model=model, state=state, user=user.login):
                    values = dict(vals, **{Model._audit_state_field: state})
                    self.assertGuarded(
                        lambda m=Model, u=user, v=values: m.with_user(u).create(v),
                        f"{user.login} created {model} in {state}",
                    )

    def test_controlled_states_unreachable_by_write(self):
        for model in self.models:
            Model = self.env[model]
            field = Model._audit_state_field
            sample = self.samples(model)[0]
            user = self.user_for(model, "write")
            for state in self.states(model):
                if state == sample[field]:
                    continue
                with self.subTest(model=model, state=state, user=user.login):
                    record = sample.with_user(user).with_context(audit_reason="test")
                    self.assertGuarded(
                        lambda r=record, s=state, f=field: r.write({f: s}),
                        f"{user.login} wrote {model} from {sample[field]} to {state}",
                    )

    # ------------------------------------------------------------------
    # every shipped signature rule
    # ------------------------------------------------------------------
    def put_in_state(self, record, rule):
        """Put ``record`` (test set-up, raw SQL) in a state the step may be
        done from, when the stage permission names states."""
        permission = (
            self.env["meddev.stage.permission"]
            .sudo()
            .search([("model", "=", rule.model), ("action", "=", rule.action)])
        )
        states = permission[:1]._states() if permission else []
        field = record._audit_state_field
        if states and record[field] not in states:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id = %s",
                    SQL.identifier(record._table),
                    SQL.identifier(field),
                    states[0],
                    record.id,
                )
            )
            record.invalidate_recordset()

    def try_sign(self, rule):
        """Sign ``rule`` on a demo (or made) record as a demo user allowed to;
        return (record, signature) or fail with why each attempt failed."""
        errors = []
        signers = self.demo_users.filtered(lambda u: u.groups_id & rule.group_ids)
        for record in self.samples(rule.model):
            for user in signers:
                try:
                    with self.env.cr.savepoint():
                        self.put_in_state(record, rule)
                        precondition = PRECONDITIONS.get((rule.model, rule.action))
                        if precondition:
                            precondition(self.env, record)
                        signature = record.with_user(user)._meddev_sign(
                            rule.action, DEMO_PASSWORD, comment=COMMENT
                        )
                        return record, signature
                except (UserError, AccessError) as error:
                    errors.append(f"{record.display_name} / {user.login}: {error}")
        self.fail(
            f"nobody could sign {rule.model} {rule.action}:\n" + "\n".join(errors)
        )

    def tamper(self, record):
        """A real change of the signed content, made by raw SQL (recorded by
        the audit trigger like any change)."""
        for field in record._meddev_signed_fields():
            # a translated field's column is JSON: changed through another one
            plain_text = field.column_type and not field.translate
            if field.type in ("char", "text") and plain_text:
                value = SQL(
                    "coalesce(%s, '') || ' (changed)'", SQL.identifier(field.name)
                )
            elif field.type == "date":
                value = SQL(
                    "coalesce(%s, current_date) + 1", SQL.identifier(field.name)
                )
            elif field.type in ("integer", "float", "monetary"):
                value = SQL("coalesce(%s, 0) + 1", SQL.identifier(field.name))
            elif field.type == "selection" and field.column_type:
                codes = [c for c, _l in field._description_selection(self.env)]
                other = [c for c in codes if c != record[field.name]]
                value = SQL("%s", other[0])
            else:
                continue
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id = %s",
                    SQL.identifier(record._table),
                    SQL.identifier(field.name),
                    value,
                    record.id,
                )
            )
            record.invalidate_recordset()
            return field.name
        self.fail(f"{record._name}: no signed field to change")

    def test_every_signature_rule_matches_then_detects_a_change(self):
        rules = self.env["meddev.signature.rule"].sudo().search([])
        self.assertGreaterEqual(len(rules), 17)
        for rule in rules:
            with self.subTest(model=rule.model, step=rule.action):
                with self.env.cr.savepoint() as savepoint:
                    record, signature = self.try_sign(rule)
                    signature.invalidate_recordset()
                    self.assertTrue(
                        signature.matches,
                        f"{rule.model} {rule.action}: not matching right after signing",
                    )
                    self.assertFalse(record.signature_mismatch)
                    changed = self.tamper(record)
                    signature.invalidate_recordset()
                    record.invalidate_recordset()
                    self.assertFalse(
                        signature.matches,
                        f"{rule.model} {rule.action}: still matching after {changed}",
                    )
                    self.assertTrue(record.signature_mismatch)
                    savepoint.rollback()


@tagged("post_install", "-at_install")
class TestOneCreateOneEntry(TransactionCase):
    """Stored computed fields of audited models are precomputed: the INSERT
    carries them, so one create is one audit entry, not an insert and an
    update."""

    def test_stored_computes_of_audited_models_are_precomputed(self):
        missing = [
            f"{name}.{field.name}"
            for name, model in self.env.registry.items()
            if inherits(model, "meddev.audit.mixin") and not model._abstract
            for field in model._fields.values()
            if field.store
            and field.compute
            and not field.precompute
            and (field._module or "").startswith("meddev")
        ]
        self.assertEqual(missing, [])

    def test_create_of_a_qualification_is_one_entry(self):
        qa_engineer = self.env["res.users"].search([("login", "=", "qa_engineer")])
        partner = self.env["res.partner"].create(
            {"name": "Ningbo Cleanpack Sterile Barrier", "is_company": True}
        )
        qualification = (
            self.env["meddev.supplier.qualification"]
            .with_user(qa_engineer)
            .create(
                {
                    "partner_id": partner.id,
                    "scope_id": self.env.ref(
                        "meddev_supplier.scope_eo_sterilization"
                    ).id,
                    "risk_class": "A",
                }
            )
        )
        self.env.flush_all()
        entries = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", qualification._name),
                ("res_id", "=", qualification.id),
            ]
        )
        self.assertEqual(entries.mapped("operation"), ["create"])
