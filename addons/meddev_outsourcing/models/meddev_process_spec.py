from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

# the subject of a version: fixed once submitted (a change is a new version)
SUBJECT_FIELDS = ("product_tmpl_id", "scope_id", "company_id", "code", "version")
# nothing of the content changes in these states
FROZEN_STATES = ("under_review", "effective", "superseded", "obsolete")


class MeddevProcessSpec(models.Model):
    """A process specification (工艺规范) of one product and one outsourced
    process (ISO 13485 §7.5.6 validated special processes): its parameters
    with unit and limits, the records and documents the supplier returns.

    One version at a time is in force per product, process and company.
    Draft → under review (QA engineer or document controller) → effective (QA
    manager's signature, not whoever submitted it), which supersedes the
    version in force → obsolete (signed). Only an effective version is
    released to a supplier; a job keeps the version it was released with.
    A change is a new version (same code, version + 1), never an edit.
    """

    _name = "meddev.process.spec"
    _description = "Process Specification"
    _inherit = ["meddev.stage.permission.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "code, version desc, id"
    _check_company_auto = True
    _audit_controlled_states = ("effective", "superseded", "obsolete")
    # the jobs released with the version are not its content
    _audit_exclude_fields = ("job_ids",)
    # set by the steps (approve, supersede, new version)
    _meddev_server_fields = ("effective_date", "previous_id", "superseded_by_id")
    _meddev_actions = {
        "submit": "Submit for Approval",
        "reset": "Return to Draft",
        "approve": "Make Effective",
        "supersede": "Supersede",
        "obsolete": "Make Obsolete",
    }

    name = fields.Char(string="Title", required=True, translate=True, tracking=True)
    code = fields.Char(
        string="Document Number",
        required=True,
        index=True,
        tracking=True,
        help="The specification's document number, e.g. PS-EO-001; every "
        "version keeps it.",
    )
    version = fields.Integer(default=1, required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Product",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The product the outsourced process delivers (the subcontracted "
        "product).",
    )
    scope_id = fields.Many2one(
        "meddev.supplier.scope",
        string="Process",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('scope_type', '=', 'process')]",
        tracking=True,
        help="The outsourced process (qualification scope) the specification "
        "governs.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("under_review", "Under Review"),
            ("effective", "Effective"),
            ("superseded", "Superseded"),
            ("obsolete", "Obsolete"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    parameter_ids = fields.One2many(
        "meddev.process.spec.parameter", "spec_id", string="Parameters", copy=True
    )
    document_ids = fields.One2many(
        "meddev.process.spec.document",
        "spec_id",
        string="Required Records",
        copy=True,
        help="Documents the supplier returns with each lot (CoC, sterilization "
        "certificate...): the lot is not released without them.",
    )
    description = fields.Html(string="Instructions", translate=True)
    effective_date = fields.Date(readonly=True, copy=False, tracking=True)
    previous_id = fields.Many2one(
        "meddev.process.spec",
        string="Previous Version",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
    )
    superseded_by_id = fields.Many2one(
        "meddev.process.spec",
        string="Superseded by",
        readonly=True,
        copy=False,
        check_company=True,
    )
    job_ids = fields.One2many("meddev.outsourcing.job", "spec_id", string="Jobs")
    job_count = fields.Integer(compute="_compute_job_count")

    _sql_constraints = [
        (
            "code_version_unique",
            "UNIQUE (code, version, company_id)",
            "A process specification's version is unique per document number.",
        ),
    ]

    @api.depends("code", "version", "name")
    def _compute_display_name(self):
        for spec in self:
            spec.display_name = f"{spec.code} v{spec.version} {spec.name or ''}".strip()

    def _compute_job_count(self):
        # counted whatever jobs the reader may open: the number is public
        data = (
            self.env["meddev.outsourcing.job"]
            .sudo()
            ._read_group([("spec_id", "in", self.ids)], ["spec_id"], ["__count"])
        )
        counts = {spec.id: count for spec, count in data}
        for spec in self:
            spec.job_count = counts.get(spec.id, 0)

    # ------------------------------------------------------------------
    # content control
    # ------------------------------------------------------------------
    def _check_editable(self, vals):
        subject = [name for name in SUBJECT_FIELDS if name in vals]
        submitted = self.filtered(lambda spec: spec.state != "draft")
        if subject and submitted:
            raise UserError(
                self.env._(
                    "The product, process, document number and version of "
                    "%(specs)s are fixed once submitted: create a new version.",
                    specs=", ".join(submitted.mapped("display_name")),
                )
            )
        content = {"name", "parameter_ids", "document_ids", "description"}
        frozen = self.filtered(lambda spec: spec.state in FROZEN_STATES)
        if frozen and content & set(vals):
            frozen._raise_frozen()

    def _raise_frozen(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        raise UserError(
            self.env._(
                "%(specs)s cannot be changed: it is %(state)s. Return it to draft "
                "while under review; otherwise create a new version.",
                specs=", ".join(self.mapped("display_name")),
                state=", ".join(sorted({labels[s] for s in self.mapped("state")})),
            )
        )

    def write(self, vals):
        self._check_editable(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda spec: spec.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft process specifications can be deleted; make the "
                    "others obsolete."
                )
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _submission_problems(self):
        self.ensure_one()
        problems = []
        if not self.parameter_ids:
            problems.append(self.env._("its parameters"))
        return problems

    def action_submit(self):
        for spec in self:
            problems = spec._submission_problems()
            if problems:
                raise UserError(
                    self.env._(
                        "Give %(missing)s before submitting %(spec)s.",
                        missing="; ".join(problems),
                        spec=spec.display_name,
                    )
                )
        self._meddev_check_action("submit")
        self.write({"state": "under_review"})
        return True

    def action_reset(self):
        self._meddev_check_action("reset")
        self.write({"state": "draft"})
        return True

    def action_approve(self):
        """Signed by a QA manager who did not submit it: the version comes
        into force and supersedes the one it replaces."""
        self._meddev_check_action("approve")
        self._meddev_server_write(
            {"state": "effective", "effective_date": fields.Date.context_today(self)}
        )
        self._supersede_replaced()
        return True

    def _supersede_replaced(self):
        """Supersede the effective versions of the same product, process and
        company; one search for all."""
        effective = self.search(
            [
                ("product_tmpl_id", "in", self.product_tmpl_id.ids),
                ("scope_id", "in", self.scope_id.ids),
                ("state", "=", "effective"),
                ("id", "not in", self.ids),
            ]
        )
        for spec in self:
            replaced = effective.filtered(
                lambda old, new=spec: (
                    old.product_tmpl_id,
                    old.scope_id,
                    old.company_id,
                )
                == (new.product_tmpl_id, new.scope_id, new.company_id)
            )
            if not replaced:
                continue
            replaced._meddev_check_action("supersede")
            reason = system_reason(
                self.env, _lt("Superseded by %(spec)s", spec=spec.display_name)
            )
            replaced.with_context(audit_reason=reason)._meddev_server_write(
                {"state": "superseded", "superseded_by_id": spec.id}
            )

    def action_obsolete(self):
        self._meddev_check_action("obsolete")
        self.write({"state": "obsolete"})
        return True

    def action_new_version(self):
        """A new draft version of an effective specification: same document
        number, version + 1, the parameters and records copied."""
        self.ensure_one()
        if self.state != "effective":
            raise UserError(
                self.env._(
                    "Only the effective version is revised; %(spec)s is not.",
                    spec=self.display_name,
                )
            )
        last = self.search(
            [("code", "=", self.code), ("company_id", "=", self.company_id.id)],
            order="version desc",
            limit=1,
        )
        if last.state in ("draft", "under_review"):
            raise UserError(
                self.env._(
                    "%(version)s is already being prepared.",
                    version=last.display_name,
                )
            )
        new = self.copy({"version": last.version + 1, "previous_id": self.id})
        return new._meddev_form_action()

    def _meddev_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_outsourcing.meddev_outsourcing_job_action"
        )
        action["domain"] = [("spec_id", "=", self.id)]
        return action

    @api.model
    def _meddev_effective(self, product_tmpl, scope, company):
        """The version in force of ``product_tmpl`` × ``scope`` in ``company``
        (configuration read whatever the caller may read)."""
        return self.sudo().search(
            [
                ("product_tmpl_id", "=", product_tmpl.id),
                ("scope_id", "=", scope.id),
                ("company_id", "=", company.id),
                ("state", "=", "effective"),
            ],
            limit=1,
        )
