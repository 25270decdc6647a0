from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# the supplier keeps its process record while processing; after the
# submission (signed) it is evidence and changes no more
RECORDING_STATES = ("acknowledged", "in_process", "returned")


class MeddevOutsourcingProcessRecord(models.Model):
    """One value of a job's process record: the value of one parameter of the
    job's specification, entered by the supplier (portal) or our staff, in the
    parameter's unit, checked against its limits at once. A value out of
    limits marks the job as deviating. Changes are audited; once the record is
    submitted by signature, nothing changes."""

    _name = "meddev.outsourcing.process.record"
    _description = "Outsourcing Process Record Value"
    _inherit = ["meddev.supplier.scope.mixin", "meddev.audit.mixin"]
    _order = "job_id, sequence, id"
    _meddev_supplier_field = "partner_id"
    _meddev_portal_fields = (
        "job_id",
        "parameter_id",
        "sequence",
        "name",
        "uom",
        "limits_display",
        "value_entered",
        "value_display",
        "in_limits",
        "has_value",
        "entered_by_id",
        "entered_on",
    )
    _meddev_portal_write_fields = ("job_id", "parameter_id", "value_entered", "uom")

    # evidence: never deleted with its job (only a draft job is deleted, and
    # a draft job has no record nor document yet)
    job_id = fields.Many2one(
        "meddev.outsourcing.job", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        related="job_id.partner_id", store=True, precompute=True
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, precompute=True
    )
    parameter_id = fields.Many2one(
        "meddev.process.spec.parameter", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(
        related="parameter_id.sequence", store=True, precompute=True
    )
    name = fields.Char(related="parameter_id.name", string="Parameter Name")
    limits_display = fields.Char(related="parameter_id.limits_display", string="Limits")
    uom = fields.Char(string="Unit", help="The unit of the value: the parameter's.")
    value_entered = fields.Char(string="Value", help="As entered.")
    value_float = fields.Float(string="Numeric Value", readonly=True, digits=(16, 4))
    value_display = fields.Char(
        compute="_compute_value_display", string="Recorded Value"
    )
    has_value = fields.Boolean(readonly=True)
    in_limits = fields.Boolean(readonly=True)
    entered_by_id = fields.Many2one("res.users", readonly=True, string="Entered by")
    entered_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "parameter_unique",
            "UNIQUE (job_id, parameter_id)",
            "A job's process record holds one value per parameter.",
        ),
    ]

    @api.depends("value_entered", "uom")
    def _compute_value_display(self):
        for record in self:
            unit = f" {record.uom}" if record.uom and record.has_value else ""
            record.value_display = f"{record.value_entered or ''}{unit}"

    def _split_values(self):
        self.ensure_one()
        return {
            "parameter_id": self.parameter_id.id,
            "value_entered": self.value_entered,
            "uom": self.uom,
        }

    # ------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------
    @api.model
    def _checked_values(self, job, parameter, vals):
        """The values to store for ``vals`` (value, unit) of ``parameter`` on
        ``job``; ValidationError naming the problem, nothing written."""
        if parameter.spec_id != job.spec_id:
            raise ValidationError(
                self.env._(
                    "%(parameter)s is not a parameter of %(spec)s, the specification "
                    "of %(job)s.",
                    parameter=parameter.name,
                    spec=job.spec_id.display_name,
                    job=job.name,
                )
            )
        value = vals.get("value_entered")
        if value in (None, False, ""):
            return {"has_value": False, "in_limits": False, "value_float": 0.0}
        unit = (vals.get("uom") or "").strip()
        if parameter.value_type == "numeric" and unit != (parameter.uom or "").strip():
            raise ValidationError(
                self.env._(
                    "%(parameter)s is recorded in %(unit)s; the value %(value)s "
                    "came with %(given)s.",
                    parameter=parameter.name,
                    unit=parameter.uom,
                    value=value,
                    given=unit or self.env._("no unit"),
                )
            )
        in_limits, stored = parameter._check_value(value)
        return {
            "value_entered": str(
                stored if parameter.value_type != "numeric" else value
            ).strip(),
            "value_float": stored if parameter.value_type == "numeric" else 0.0,
            "has_value": True,
            "in_limits": in_limits,
            "uom": unit or parameter.uom,
            "entered_by_id": self.env.uid,
            "entered_on": fields.Datetime.now(),
        }

    @api.model
    def _check_job_recording(self, jobs):
        if self.env.su:
            # the server copying a split job's record, or mirroring Odoo
            return
        closed = jobs.filtered(
            lambda job: job.state not in RECORDING_STATES or job.record_submitted_on
        )
        if closed:
            raise UserError(
                self.env._(
                    "The process record of %(jobs)s cannot change: it is recorded "
                    "while the job is acknowledged, in process or returned, and "
                    "not after its submission.",
                    # named whatever the user may read of them
                    jobs=", ".join(closed.sudo().mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_portal_check_create(vals_list)
        Job = self.env["meddev.outsourcing.job"]
        Parameter = self.env["meddev.process.spec.parameter"]
        self._check_job_recording(Job.browse({vals["job_id"] for vals in vals_list}))
        for vals in vals_list:
            job = Job.browse(vals["job_id"])
            # the specification is read whatever the user may open: its limits decide
            parameter = Parameter.sudo().browse(vals["parameter_id"])
            vals.update(self._checked_values(job.sudo(), parameter, vals))
        return super().create(vals_list)

    def write(self, vals):
        self._check_job_recording(self.job_id)
        if set(vals) - {"value_entered", "uom"} and not self.env.su:
            raise UserError(
                self.env._(
                    "Only the value and its unit of a process record are entered; "
                    "the rest follows from them and from the specification."
                )
            )
        if not {"value_entered", "uom"} & set(vals):
            return super().write(vals)
        # the user's change is checked as the user (access rights, record
        # rules, the supplier's write whitelist); what the model derives from
        # it (flags, who and when) is the server's to keep
        self.check_access("write")
        self.check_field_access_rights("write", list(vals))
        for record in self:
            merged = {"value_entered": record.value_entered, "uom": record.uom, **vals}
            # the specification's limits decide, whatever the user may read
            checked = self._checked_values(
                record.job_id.sudo(), record.parameter_id.sudo(), merged
            )
            super(MeddevOutsourcingProcessRecord, record.sudo()).write(
                {**vals, **checked}
            )
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_only_while_recording(self):
        self._check_job_recording(self.job_id)
