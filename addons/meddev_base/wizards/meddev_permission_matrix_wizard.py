import io
from datetime import timedelta

from odoo import api, fields, models

EXTRA_MODELS_PARAM = "meddev_base.permission_matrix_models"
DEFAULT_EXTRA_MODELS = "purchase.order,stock.picking,mrp.production,stock.lot"
OPERATIONS = ("read", "create", "write", "unlink")
# one letter per operation in a cell, "-" when not granted
OPERATION_LETTERS = {"read": "R", "create": "C", "write": "W", "unlink": "D"}


class MeddevPermissionMatrixWizard(models.TransientModel):
    """The permission matrix, generated from the live configuration.

    Role × document type × read/create/write/delete (access rights, with the
    groups each role implies), the record rules that apply to each role, role ×
    controlled action (stage permissions, with segregation of duties, signature
    meaning and approval tiers), and the approval tier definitions when tier
    validation is installed. As PDF or XLSX, for QMS administrators and auditors.
    """

    _name = "meddev.permission.matrix.wizard"
    _inherit = ["meddev.xlsx.mixin"]
    _description = "Permission Matrix Report"

    extra_model_ids = fields.Many2many(
        "ir.model",
        "meddev_permission_matrix_wizard_model_rel",
        "wizard_id",
        "model_id",
        string="Other Document Types",
        default=lambda self: self._default_extra_models(),
        help="Document types reported besides those of the QMS modules. The "
        "default list is the system parameter " + EXTRA_MODELS_PARAM + ".",
    )

    @api.model
    def _default_extra_models(self):
        # system parameters are readable by administrators only; this one only
        # names document types
        names = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(EXTRA_MODELS_PARAM, DEFAULT_EXTRA_MODELS)
        )
        names = [n.strip() for n in (names or "").split(",") if n.strip()]
        return self.env["ir.model"].search([("model", "in", names)])

    # ------------------------------------------------------------------
    # the matrix
    # ------------------------------------------------------------------
    @api.model
    def _roles(self):
        """The QMS roles, in the order they are defined."""
        category = self.env.ref("meddev_base.module_category_meddev")
        return (
            self.env["res.groups"]
            .sudo()  # the matrix names every role, whatever the reader may read
            .search([("category_id", "=", category.id)], order="id")
        )

    @api.model
    def _role_groups(self, role):
        """The groups a user of ``role`` has: the role and what it implies."""
        return role | role.trans_implied_ids

    def _model_names(self):
        """Document types of the QMS modules, then the other ones chosen."""
        own = sorted(
            name
            for name, Model in self.env.registry.items()
            if not Model._abstract
            and (Model._original_module or "").startswith("meddev_")
        )
        extra = sorted(
            name
            for name in self.extra_model_ids.mapped("model")
            if name in self.env and name not in own
        )
        return own + extra

    def _crud(self, roles, model_names):
        """{(role id, model): {operation: granted}} from the active access
        rights of the role's groups and the global ones."""
        # access rights are configuration: the matrix reports all of them
        accesses = (
            self.env["ir.model.access"]
            .sudo()
            .search([("model_id.model", "in", model_names)])
        )
        result = {}
        for role in roles:
            groups = self._role_groups(role)
            for name in model_names:
                result[(role.id, name)] = dict.fromkeys(OPERATIONS, False)
            for access in accesses:
                if access.group_id and access.group_id not in groups:
                    continue
                cell = result[(role.id, access.model_id.model)]
                for operation in OPERATIONS:
                    if access[f"perm_{operation}"]:
                        cell[operation] = True
        return result

    @api.model
    def _cell_text(self, cell):
        return "".join(
            OPERATION_LETTERS[operation] if cell[operation] else "-"
            for operation in OPERATIONS
        )

    def _rules(self, roles, model_names):
        """Record rules of the reported document types: the global ones (role
        None), then those of each role's groups."""
        # record rules are configuration: the matrix reports all of them
        rules = (
            self.env["ir.rule"]
            .sudo()
            .search([("model_id.model", "in", model_names)], order="model_id, id")
        )
        rows = []
        for rule in rules.filtered("global"):
            rows.append(self._rule_row(None, rule))
        for role in roles:
            groups = self._role_groups(role)
            for rule in rules:
                if rule.groups & groups:
                    rows.append(self._rule_row(role, rule))
        return rows

    @api.model
    def _rule_row(self, role, rule):
        return {
            "role": role.name if role else self.env._("All users (global rule)"),
            "name": rule.name or "",
            "model": rule.model_id.model,
            "groups": ", ".join(rule.groups.mapped("name")),
            "domain": rule.domain_force or "",
            "operations": "".join(
                OPERATION_LETTERS[operation] if rule[f"perm_{operation}"] else "-"
                for operation in OPERATIONS
            ),
        }

    def _actions(self, roles):
        """One row per stage permission: its configuration and, per role,
        whether a user of the role may do the action."""
        # stage permissions are configuration: the matrix reports all of them
        permissions = (
            self.env["meddev.stage.permission"]
            .sudo()
            .search([("model_id", "!=", False)])
        )
        meanings = dict(
            permissions._fields["signature_meaning"]._description_selection(self.env)
        )
        rows = []
        for permission in permissions:
            rows.append(
                {
                    "model": permission.model,
                    "model_name": permission.model_id.name,
                    "action": permission.action,
                    "name": permission.name,
                    "company": permission.company_id.name or "",
                    "states": ", ".join(permission._states()),
                    "signature": meanings.get(permission.signature_meaning, ""),
                    "tiers": permission.tier_validation,
                    "training": permission.training_document_ref or "",
                    "training_enforced": self._training_enforced(permission.model),
                    "sod": ", ".join(permission.not_same_user_as_ids.mapped("name")),
                    "groups": ", ".join(permission.group_ids.mapped("name")),
                    "roles": {
                        role.id: bool(permission.group_ids & self._role_groups(role))
                        for role in roles
                    },
                }
            )
        return rows

    @api.model
    def _training_enforced(self, model_name):
        """Whether the training of ``model_name``'s actions is checked: a
        training module overriding ``_meddev_check_training`` says so with the
        stage permission mixin's ``_meddev_training_enforced``."""
        model = self.env.registry.get(model_name)
        return bool(getattr(model, "_meddev_training_enforced", False))

    @api.model
    def _training_note(self, actions):
        """What the report says of the Required Training column, plainly."""
        if actions and all(row["training_enforced"] for row in actions):
            return self.env._(
                "Required Training is enforced: an action is refused to a user "
                "not trained on the document."
            )
        return self.env._(
            "Required Training is NOT enforced until a training module is "
            "installed: the column shows the training configured for the "
            "action, but nobody is refused an action for want of it on the "
            "document types marked not enforced."
        )

    def _tiers(self):
        """Approval tier definitions, when tier validation is installed."""
        if "tier.definition" not in self.env:
            return None
        # tier definitions are configuration: the matrix reports all of them
        definitions = (
            self.env["tier.definition"].sudo().search([("model_id", "!=", False)])
        )
        rows = []
        for definition in definitions:
            reviewers = definition["reviewer_group_id"].name or (
                definition["reviewer_id"].name or ""
            )
            rows.append(
                {
                    "name": definition.name or "",
                    "model": definition["model"] or "",
                    "sequence": definition["sequence"],
                    "review_type": definition["review_type"] or "",
                    "reviewers": reviewers,
                    "domain": definition["definition_domain"] or "",
                }
            )
        return rows

    def _conflicts(self):
        """Conflicting role pairs, their valid exceptions and the users who
        hold both roles without one."""
        # segregation-of-duties rules are configuration: the matrix reports all
        conflicts = (
            self.env["meddev.sod.conflict"].sudo().search([("active", "=", True)])
        )
        today = fields.Date.today()
        rows = []
        for conflict in conflicts:
            valid = conflict.exception_ids.filtered(
                lambda e: e.state == "approved"
                and (not e.date_end or e.date_end > today)
            )
            rows.append(
                {
                    "a": conflict.group_a_id.name,
                    "b": conflict.group_b_id.name,
                    "why": conflict.name,
                    "exceptions": ", ".join(
                        f"{e.user_id.name} ({e.name}, {e.date_end or '∞'})"
                        for e in valid
                    ),
                    "violations": ", ".join(conflict.violation_user_ids.mapped("name")),
                }
            )
        return rows

    def _grants(self):
        """Temporary roles approved, active or ended in the last 90 days."""
        since = fields.Datetime.now() - timedelta(days=90)
        # the grants are reported whoever prints: the report is for auditors
        grants = (
            self.env["meddev.role.grant"]
            .sudo()
            .search(
                [
                    ("state", "in", ("approved", "active", "expired", "revoked")),
                    ("date_end", ">=", since),
                ],
                order="date_start desc",
            )
        )
        states = dict(grants._fields["state"]._description_selection(self.env))
        return [
            {
                "name": grant.name,
                "user": grant.user_id.name,
                "role": grant.group_id.name,
                "start": grant.date_start,
                "end": grant.date_end,
                "state": states[grant.state],
                "approved_by": ", ".join(
                    grant.signature_ids.filtered(
                        lambda s: s.action == "approve"
                    ).mapped("printed_name")
                ),
            }
            for grant in grants
        ]

    def _matrix(self):
        """Everything the report shows, computed now from the configuration."""
        self.ensure_one()
        roles = self._roles()
        model_names = self._model_names()
        descriptions = {
            name: self.env["ir.model"]._get(name).name or name for name in model_names
        }
        crud = self._crud(roles, model_names)
        actions = self._actions(roles)
        return {
            "roles": roles,
            "models": [(name, descriptions[name]) for name in model_names],
            "crud": crud,
            "cells": {key: self._cell_text(cell) for key, cell in crud.items()},
            "rules": self._rules(roles, model_names),
            "actions": actions,
            "training_note": self._training_note(actions),
            "tiers": self._tiers(),
            "conflicts": self._conflicts(),
            "grants": self._grants(),
            "generated_at": fields.Datetime.now(),
            "generated_by": self.env.user.name,
        }

    # ------------------------------------------------------------------
    # outputs
    # ------------------------------------------------------------------
    def action_print_pdf(self):
        return self.env.ref(
            "meddev_base.action_report_meddev_permission_matrix"
        ).report_action(self)

    def action_export_xlsx(self):
        return self._meddev_xlsx_download(
            self._xlsx(), self.env._("permission-matrix.xlsx")
        )

    def _xlsx(self):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        data = self._matrix()
        roles = data["roles"]
        bold = Font(bold=True)
        yes, no = self.env._("Yes"), self.env._("No")
        book = Workbook()

        def header(sheet, values):
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, vertical="top")

        sheet = book.active
        sheet.title = self.env._("Access Rights")
        sheet.append([self.env._("Permission Matrix"), self.env.company.name])
        sheet["A1"].font = bold
        sheet.append([self.env._("Generated (UTC)"), data["generated_at"]])
        sheet.append([self.env._("Generated by"), data["generated_by"]])
        sheet.append(
            [
                self.env._("Legend"),
                self.env._(
                    "R read, C create, W write, D delete; - not granted. A role "
                    "has the rights of the groups it implies."
                ),
            ]
        )
        sheet.append([])
        header(
            sheet,
            [self.env._("Model"), self.env._("Document Type"), *roles.mapped("name")],
        )
        for name, description in data["models"]:
            sheet.append(
                [name, description] + [data["cells"][(role.id, name)] for role in roles]
            )

        sheet = book.create_sheet(self.env._("Record Rules"))
        header(
            sheet,
            [
                self.env._("Role"),
                self.env._("Rule"),
                self.env._("Model"),
                self.env._("Groups"),
                self.env._("Domain"),
                self.env._("Applies To"),
            ],
        )
        for row in data["rules"]:
            sheet.append(
                [
                    row["role"],
                    row["name"],
                    row["model"],
                    row["groups"],
                    row["domain"],
                    row["operations"],
                ]
            )

        sheet = book.create_sheet(self.env._("Stage Actions"))
        sheet.append([data["training_note"]])
        header(
            sheet,
            [
                self.env._("Model"),
                self.env._("Action"),
                self.env._("Label"),
                self.env._("Company"),
                self.env._("Allowed From States"),
                self.env._("Signature Meaning"),
                self.env._("Approval Tiers"),
                self.env._("Required Training"),
                self.env._("Training Enforced"),
                self.env._("Not By the Performer Of"),
                *roles.mapped("name"),
            ],
        )
        for row in data["actions"]:
            sheet.append(
                [
                    row["model"],
                    row["action"],
                    row["name"],
                    row["company"],
                    row["states"],
                    row["signature"],
                    yes if row["tiers"] else no,
                    row["training"],
                    yes if row["training_enforced"] else no,
                    row["sod"],
                ]
                + ["X" if row["roles"][role.id] else "" for role in roles]
            )

        sheet = book.create_sheet(self.env._("Segregation of Duties"))
        header(
            sheet,
            [
                self.env._("Model"),
                self.env._("Action"),
                self.env._("Not By the Performer Of"),
            ],
        )
        for row in data["actions"]:
            if row["sod"]:
                sheet.append([row["model"], row["name"], row["sod"]])

        sheet = book.create_sheet(self.env._("Conflicting Roles"))
        header(
            sheet,
            [
                self.env._("Role"),
                self.env._("Conflicts With"),
                self.env._("Why They Conflict"),
                self.env._("Exceptions"),
                self.env._("Users Holding Both"),
            ],
        )
        for row in data["conflicts"]:
            sheet.append(
                [row["a"], row["b"], row["why"], row["exceptions"], row["violations"]]
            )

        sheet = book.create_sheet(self.env._("Temporary Roles"))
        header(
            sheet,
            [
                self.env._("Reference"),
                self.env._("Granted To"),
                self.env._("Role"),
                self.env._("From"),
                self.env._("Until"),
                self.env._("Status"),
                self.env._("Approved By"),
            ],
        )
        for row in data["grants"]:
            sheet.append(
                [
                    row["name"],
                    row["user"],
                    row["role"],
                    row["start"],
                    row["end"],
                    row["state"],
                    row["approved_by"],
                ]
            )

        if data["tiers"] is not None:
            sheet = book.create_sheet(self.env._("Approval Tiers"))
            header(
                sheet,
                [
                    self.env._("Tier"),
                    self.env._("Model"),
                    self.env._("Sequence"),
                    self.env._("Review Type"),
                    self.env._("Reviewers"),
                    self.env._("Domain"),
                ],
            )
            for row in data["tiers"]:
                sheet.append(
                    [
                        row["name"],
                        row["model"],
                        row["sequence"],
                        row["review_type"],
                        row["reviewers"],
                        row["domain"],
                    ]
                )
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()
