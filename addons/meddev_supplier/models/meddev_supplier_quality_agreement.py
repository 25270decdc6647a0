from datetime import timedelta
from itertools import groupby

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.translate import LazyTranslate, get_translation

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# an approved agreement is due for review this many days before its date
# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)


REVIEW_NOTICE_DAYS = 30
# fixed once the agreement is submitted: a change needs a new revision
SUBJECT_FIELDS = (
    "partner_id",
    "company_id",
    "scope_ids",
    "revision",
    "previous_agreement_id",
)
# written by the server when the agreement is approved, superseded or
# terminated: not part of the signed content
SERVER_FIELDS = (
    "approval_date",
    "superseded_by_id",
    "termination_reason",
    "termination_date",
)
PORTAL_GROUP = "meddev_base.group_meddev_supplier_portal"
# the content cannot change at all in these states (under review: return it to
# draft; superseded or terminated: it is history)
FROZEN_STATES = ("under_review", "superseded", "terminated")


def _report_labels(env):
    """{key: label} of the bilingual PDF's headings and labels, in English
    (``env`` in English)."""
    return {
        "title": env._("Supplier Quality Agreement"),
        "reference": env._("Reference"),
        "revision": env._("Revision"),
        "status": env._("Status"),
        "manufacturer_party": env._("Manufacturer"),
        "supplier_party": env._("Supplier"),
        "scopes": env._("Scopes Covered"),
        "effective_date": env._("Effective Date"),
        "expiry_date": env._("Review / Expiry Date"),
        "approval_date": env._("Approval Date"),
        "previous": env._("Supersedes Revision"),
        "superseded_by": env._("Superseded by"),
        "terminated_on": env._("Terminated on"),
        "termination_reason": env._("Reason for Termination"),
        "terms": env._("Terms of the Agreement"),
        "matrix": env._("Responsibility Matrix"),
        "element": env._("QMS Element"),
        "clause": env._("Clause"),
        "responsibility": env._("Responsibility"),
        "requirement": env._("Requirement"),
        "notes": env._("Notes"),
        "resp_manufacturer": env._("Manufacturer"),
        "resp_supplier": env._("Supplier"),
        "resp_shared": env._("Shared"),
        "state_draft": env._("Draft"),
        "state_under_review": env._("Under Review"),
        "state_approved": env._("Approved"),
        "state_superseded": env._("Superseded"),
        "state_terminated": env._("Terminated"),
        "draft_notice": env._("Not approved: for review only."),
        "e_signatures": env._("Electronic Signatures of the Manufacturer"),
        "signed_by": env._("Signed by"),
        "meaning": env._("Meaning"),
        "signed_at": env._("Date and Time (UTC)"),
        "local_time": env._("Local Time"),
        "meaning_approved": env._("Approved"),
        "meaning_revoked": env._("Revoked"),
        "signatures": env._("Signatures"),
        "for_manufacturer": env._("For the Manufacturer"),
        "for_supplier": env._("For the Supplier"),
        "name": env._("Signatory"),
        "title_job": env._("Title"),
        "signature": env._("Signature"),
        "stamp": env._("Company Stamp"),
        "date": env._("Date"),
    }


class MeddevSupplierQualityAgreement(models.Model):
    """A supplier quality agreement (质量协议, ISO 13485 §4.1.5 and §7.4.2,
    NMPA GMP: purchasing): for the scopes it covers, which party is
    responsible for each QMS element (manufacturer, supplier or shared) and
    what is required, printed as a bilingual PDF for both parties to sign.

    Draft → under review (a QA engineer submits) → approved (a QA manager who
    did not submit it signs, meaning *approved*) → superseded (automatically,
    when a later revision for the same supplier and scopes is approved) or
    terminated (a QA manager signs, meaning *revoked*, with the reason).
    An approved agreement changes only with a reason; a change of substance is
    a new revision (*New Revision*), approved in turn.
    """

    _name = "meddev.supplier.quality.agreement"
    _description = "Supplier Quality Agreement"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "name desc, revision desc, id desc"
    _check_company_auto = True
    _meddev_sequence_code = "meddev.supplier.quality.agreement"
    _audit_controlled_states = ("approved", "superseded", "terminated")
    _audit_exclude_fields = ("review_alerted_for",)
    _signature_exclude_fields = (*SERVER_FIELDS, "user_id")
    # the agreement's content, as printed for both parties; not our
    # responsible, review reminders, signatures or audit trail
    _meddev_portal_fields = (
        "name",
        "revision",
        "company_id",
        "partner_id",
        "scope_ids",
        "effective_date",
        "expiry_date",
        "approval_date",
        "our_signatory_name",
        "our_signatory_title",
        "supplier_signatory_name",
        "supplier_signatory_title",
        "terms",
        "line_ids",
        "state",
        "previous_agreement_id",
    )
    _meddev_actions = {
        "submit": "Submit for Review",
        "reset": "Return to Draft",
        "approve": "Approve",
        "supersede": "Supersede",
        "terminate": "Terminate",
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    revision = fields.Integer(
        required=True,
        default=1,
        readonly=True,
        copy=False,
        help="Revisions of one agreement share its reference.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Our company, party to the agreement.",
    )
    # a supplier contact kept for one company only is not that of another's
    # agreement (shared suppliers have no company)
    partner_id = fields.Many2one(check_company=True)
    scope_ids = fields.Many2many(
        "meddev.supplier.scope",
        "meddev_supplier_quality_agreement_scope_rel",
        "agreement_id",
        "scope_id",
        string="Scopes Covered",
        help="The outsourced processes, product categories or products the "
        "agreement covers.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        check_company=True,
        help="Prepares the agreement and is reminded when it is due for review.",
    )
    effective_date = fields.Date(tracking=True, copy=False)
    expiry_date = fields.Date(
        string="Review / Expiry Date",
        tracking=True,
        copy=False,
        help="When the agreement must be reviewed (and renewed or revised).",
    )
    approval_date = fields.Date(readonly=True, copy=False)
    our_signatory_name = fields.Char(string="Our Signatory")
    our_signatory_title = fields.Char(string="Our Signatory's Title")
    supplier_signatory_name = fields.Char(string="Supplier's Signatory")
    supplier_signatory_title = fields.Char(string="Supplier's Signatory's Title")
    terms = fields.Html(
        help="General terms: purpose, definitions, duration, confidentiality, "
        "order of precedence with the purchase contract...",
    )
    line_ids = fields.One2many(
        "meddev.supplier.quality.agreement.line",
        "agreement_id",
        string="Responsibility Matrix",
        copy=True,
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("draft", "Draft"),
            ("under_review", "Under Review"),
            ("approved", "Approved"),
            ("superseded", "Superseded"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    previous_agreement_id = fields.Many2one(
        "meddev.supplier.quality.agreement",
        string="Previous Revision",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
    )
    superseded_by_id = fields.Many2one(
        "meddev.supplier.quality.agreement",
        string="Superseded by",
        readonly=True,
        copy=False,
        check_company=True,
    )
    termination_reason = fields.Text(readonly=True, copy=False)
    termination_date = fields.Date(readonly=True, copy=False)
    review_due = fields.Boolean(
        compute="_compute_review_due",
        search="_search_review_due",
        help="Approved, and its review / expiry date is past or within "
        f"{REVIEW_NOTICE_DAYS} days.",
    )
    review_alerted_for = fields.Date(
        string="Review Reminder Sent For",
        readonly=True,
        copy=False,
        help="The review date the responsible was last reminded of.",
    )

    _sql_constraints = [
        (
            "name_revision_unique",
            "UNIQUE (name, revision)",
            "A quality agreement has one record per revision.",
        ),
    ]

    @api.model
    def _meddev_ensure_supplier_rule(self):
        """The supplier's portal users read its approved agreements only: not
        drafts, nor superseded or terminated ones."""
        portal = self.env.ref(PORTAL_GROUP, raise_if_not_found=False)
        if portal:
            self.env["ir.rule"]._meddev_ensure_model_rule(
                self,
                "supplier_scope_rule_",
                "the supplier's own approved agreements (portal)",
                "[('meddev_supplier_id', '=', user.commercial_partner_id.id), "
                "('state', '=', 'approved')]",
                groups=portal,
            )

    # ------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------
    @api.depends("name", "revision", "partner_id.name")
    def _compute_display_name(self):
        for agreement in self:
            reference = self.env._(
                "%(reference)s Rev. %(revision)s",
                reference=agreement.name or "",
                revision=agreement.revision,
            )
            agreement.display_name = " - ".join(
                part for part in (reference, agreement.partner_id.name) if part
            )

    @api.model
    def _review_due_limit(self):
        return fields.Date.context_today(self) + timedelta(days=REVIEW_NOTICE_DAYS)

    @api.depends("state", "expiry_date")
    def _compute_review_due(self):
        limit = self._review_due_limit()
        for agreement in self:
            agreement.review_due = bool(
                agreement.state == "approved"
                and agreement.expiry_date
                and agreement.expiry_date <= limit
            )

    def _search_review_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Search Review Due with = True or = False only.")
            )
        domain = [
            ("state", "=", "approved"),
            ("expiry_date", "!=", False),
            ("expiry_date", "<=", self._review_due_limit()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.AND([[leaf] for leaf in domain])]

    @api.constrains("effective_date", "expiry_date")
    def _check_dates(self):
        for agreement in self:
            if (
                agreement.effective_date
                and agreement.expiry_date
                and agreement.expiry_date <= agreement.effective_date
            ):
                raise ValidationError(
                    self.env._(
                        "The review / expiry date of %(agreement)s must be after "
                        "its effective date.",
                        agreement=agreement.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # signed content: the matrix, not only the ids of its lines
    # ------------------------------------------------------------------
    def _meddev_signed_content(self):
        content = super()._meddev_signed_content()
        content["responsibility_matrix"] = [
            [
                line.element_id.code,
                line.responsibility,
                line.requirement or "",
                line.notes or "",
            ]
            # the whole matrix is signed, whatever the signer may read of it
            for line in self.sudo().line_ids.sorted(lambda r: (r.sequence, r.id))
        ]
        return content

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _default_line_values(self, exclude=None):
        """Values of the matrix lines of every active element (except the
        elements ``exclude``), with its default responsibility and
        requirement."""
        domain = [("active", "=", True)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        elements = self.env["meddev.supplier.qms.element"].search(domain)
        return [
            {
                "element_id": element.id,
                "sequence": element.sequence,
                "responsibility": element.default_responsibility,
                "requirement": element.description or False,
            }
            for element in elements
        ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and not values.get("line_ids"):
            values["line_ids"] = [
                Command.create(line) for line in self._default_line_values()
            ]
        return values

    @api.model_create_multi
    def create(self, vals_list):
        # new agreements start with every active element: one search for all
        missing = [vals for vals in vals_list if "line_ids" not in vals]
        if missing:
            lines = self._default_line_values()
            for vals in missing:
                vals["line_ids"] = [Command.create(dict(line)) for line in lines]
        return super().create(vals_list)

    @api.model
    def _content_field_names(self):
        """The fields making the agreement's content (its signed fields)."""
        return {field.name for field in self._meddev_signed_fields()}

    def _check_editable(self, vals):
        """Refuse, changing nothing, a change of the subject after submission
        and any change of content while under review, superseded or
        terminated (approved: the audit mixin asks for the reason)."""
        subject = [name for name in SUBJECT_FIELDS if name in vals]
        submitted = self.filtered(lambda agreement: agreement.state != "draft")
        if subject and submitted:
            raise UserError(
                self.env._(
                    "The supplier, company, scopes and revision of %(agreements)s "
                    "are fixed once it is submitted: create a new revision.",
                    agreements=", ".join(submitted.mapped("display_name")),
                )
            )
        frozen = self.filtered(lambda agreement: agreement.state in FROZEN_STATES)
        if frozen and set(vals) & self._content_field_names():
            frozen._raise_frozen()

    def _raise_frozen(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        raise UserError(
            self.env._(
                "%(agreements)s cannot be changed: it is %(state)s. Return it to "
                "draft while under review; otherwise create a new revision.",
                agreements=", ".join(self.mapped("display_name")),
                state=", ".join(sorted({labels[s] for s in self.mapped("state")})),
            )
        )

    def write(self, vals):
        self._check_editable(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda agreement: agreement.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft quality agreements can be deleted; terminate the "
                    "others."
                )
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _submission_problems(self):
        self.ensure_one()
        problems = []
        if not self.scope_ids:
            problems.append(self.env._("the scopes it covers"))
        if not self.effective_date:
            problems.append(self.env._("its effective date"))
        if not self.line_ids:
            problems.append(self.env._("its responsibility matrix"))
        blank = self.line_ids.filtered(
            lambda line: not (line.requirement or "").strip()
        )
        if blank:
            problems.append(
                self.env._(
                    "the requirement of %(elements)s",
                    elements=", ".join(blank.element_id.mapped("name")),
                )
            )
        return problems

    def action_submit(self):
        for agreement in self:
            problems = agreement._submission_problems()
            if problems:
                raise UserError(
                    self.env._(
                        "Give %(missing)s before submitting %(agreement)s.",
                        missing="; ".join(problems),
                        agreement=agreement.display_name,
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
        """A QA manager who did not submit the agreement approves it by
        signing; the earlier approved agreements it replaces are superseded."""
        self._meddev_check_action("approve")
        self.write(
            {"state": "approved", "approval_date": fields.Date.context_today(self)}
        )
        self._supersede_replaced()
        return True

    def _supersede_replaced(self):
        """Supersede, for each newly approved agreement, its previous revision
        and the other approved agreements of the same supplier and company
        whose scopes it covers entirely; one search for all."""
        approved = self.search(
            [
                ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                ("state", "=", "approved"),
                ("id", "not in", self.ids),
            ]
        )
        replacements = []
        for agreement in self:
            replaced = approved.filtered(
                lambda old, new=agreement: old.company_id == new.company_id
                and old.meddev_supplier_id == new.meddev_supplier_id
                and (old == new.previous_agreement_id or old.scope_ids <= new.scope_ids)
            )
            if replaced:
                replacements.append((replaced, agreement))
                approved -= replaced
        if not replacements:
            return
        # one check (and log) of the step for every agreement superseded
        self.union(*(replaced for replaced, _new in replacements))._meddev_check_action(
            "supersede"
        )
        for replaced, new in replacements:
            replaced._supersede(new)

    def _supersede(self, new):
        """Superseded by ``new`` (the supersede step was checked)."""
        reason = system_reason(
            self.env,
            _lt("Superseded by %(agreement)s", agreement=new.display_name),
        )
        self.with_context(audit_reason=reason).write(
            {"state": "superseded", "superseded_by_id": new.id}
        )
        for agreement in self:
            agreement.message_post(body=reason)

    def action_terminate(self):
        reason = self._require_reason(self.env._("Termination"))
        self._meddev_check_action("terminate")
        self.write(
            {
                "state": "terminated",
                "termination_reason": reason,
                "termination_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_new_revision(self):
        """A new draft revision of an approved agreement: same reference,
        revision + 1, the matrix copied (and the elements added since)."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(
                self.env._(
                    "Only an approved agreement is revised; %(agreement)s is not.",
                    agreement=self.display_name,
                )
            )
        pending = self.search(
            [
                ("previous_agreement_id", "=", self.id),
                ("state", "in", ("draft", "under_review")),
            ],
            limit=1,
        )
        if pending:
            raise UserError(
                self.env._(
                    "%(revision)s is already being prepared from %(agreement)s.",
                    revision=pending.display_name,
                    agreement=self.display_name,
                )
            )
        last = self.search([("name", "=", self.name)], order="revision desc", limit=1)
        revision = self.copy(
            {
                "name": self.name,
                "revision": max(last.revision, self.revision) + 1,
                "previous_agreement_id": self.id,
            }
        )
        added = self._default_line_values(exclude=revision.line_ids.element_id)
        if added:
            revision.write({"line_ids": [Command.create(line) for line in added]})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": revision.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_previous(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": (self.previous_agreement_id or self.superseded_by_id).id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # review reminders
    # ------------------------------------------------------------------
    @api.model
    def _cron_review_due(self):
        """A to-do for the responsible (else the QA managers) of each approved
        agreement due for review, once per review date."""
        # the scheduler sees every company's agreements, whoever runs it
        agreements = (
            self.sudo()
            .search([("review_due", "=", True)])
            .filtered(lambda a: a.review_alerted_for != a.expiry_date)
        )
        if not agreements:
            return True
        managers = self.env.ref("meddev_base.group_meddev_qa_manager").users.filtered(
            lambda user: user.active and not user.share
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for agreement in agreements:
            responsible = agreement.user_id
            users = (
                responsible
                if responsible.active and not responsible.share
                else managers
            )
            activities += [
                {
                    "res_model_id": model_id,
                    "res_id": agreement.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": self.env._(
                        "Quality agreement due for review: %(agreement)s",
                        agreement=agreement.display_name,
                    ),
                    "note": self.env._(
                        "%(agreement)s is to be reviewed by %(date)s: renew it "
                        "with a new revision, or terminate it.",
                        agreement=agreement.display_name,
                        date=agreement.expiry_date,
                    ),
                    "date_deadline": agreement.expiry_date,
                }
                for user in users
            ]
        # the scheduler assigns the to-dos to the responsibles
        self.env["mail.activity"].sudo().create(activities)
        for date, group in groupby(
            agreements.sorted("expiry_date"), key=lambda a: a.expiry_date
        ):
            # which reminder was given is recorded by the server
            self.browse([a.id for a in group]).sudo().write(
                {"review_alerted_for": date}
            )
        return True

    # ------------------------------------------------------------------
    # bilingual PDF
    # ------------------------------------------------------------------
    @api.model
    def _meddev_report_labels(self):
        """{key: (English, Simplified Chinese)} of the PDF's headings and
        labels."""
        english = _report_labels(self.with_context(lang="en_US").env)
        # the Simplified Chinese from the module's i18n/zh_CN.po, whether or
        # not the language is installed (an environment in a language not
        # installed refuses to translate)
        return {
            key: (text, get_translation(self._original_module, "zh_CN", text, ()))
            for key, text in english.items()
        }

    def _meddev_report_lines(self):
        """[(line, English name, Chinese name, requirement in the other
        language)] of the matrix. A requirement left as the element's default
        in one language is printed in the other one as well. Without Chinese
        installed (or translated) the element is in English only."""
        self.ensure_one()
        lines = self.line_ids.sorted(lambda r: (r.sequence, r.id))
        elements = lines.element_id.with_context(active_test=False)
        english = {
            e.id: (e.name, e.description or "")
            for e in elements.with_context(lang="en_US")
        }
        chinese = english
        if self.env["res.lang"]._get_data(code="zh_CN"):
            chinese = {
                e.id: (e.name, e.description or "")
                for e in elements.with_context(lang="zh_CN")
            }
        result = []
        for line in lines:
            (name_en, default_en) = english[line.element_id.id]
            (name_zh, default_zh) = chinese[line.element_id.id]
            requirement = (line.requirement or "").strip()
            other = ""
            if default_en != default_zh and requirement == default_en.strip():
                other = default_zh
            elif default_en != default_zh and requirement == default_zh.strip():
                other = default_en
            result.append((line, name_en, name_zh if name_zh != name_en else "", other))
        return result
