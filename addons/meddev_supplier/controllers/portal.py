import base64
import re

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PORTAL_GROUP = "meddev_base.group_meddev_supplier_portal"
QUALITY_AGREEMENT_REPORT = (
    "meddev_supplier.action_report_meddev_supplier_quality_agreement"
)
ITEMS_PER_PAGE = 20
# {counter: (model, domain)}: what the supplier reads on its portal home
COUNTERS = {
    "meddev_qualification_count": ("meddev.supplier.qualification", []),
    "meddev_certificate_count": ("meddev.supplier.certificate", []),
    "meddev_quality_agreement_count": ("meddev.supplier.quality.agreement", []),
    "meddev_audit_count": ("meddev.supplier.audit", []),
    "meddev_change_notice_count": ("meddev.supplier.change.notice", []),
}
# the supplier's certificates: in force, and its uploads under or after review
CERTIFICATE_DOMAIN = [
    "|",
    ("active", "=", True),
    ("review_state", "in", ("pending", "rejected")),
]
# {kind in the URL /my/meddev/<kind>: (model, list domain)}; the list and
# detail templates are portal_my_meddev_<kind> and portal_my_meddev_<kind>_record
KINDS = {
    "qualifications": ("meddev.supplier.qualification", []),
    "certificates": ("meddev.supplier.certificate", CERTIFICATE_DOMAIN),
    "agreements": ("meddev.supplier.quality.agreement", []),
    "audits": ("meddev.supplier.audit", []),
    "findings": ("meddev.supplier.audit.finding", None),
    "change_notices": ("meddev.supplier.change.notice", []),
}
# the list page a kind's records are under (breadcrumbs)
PAGE_NAMES = {"findings": "meddev_audits"}


class MeddevSupplierPortal(CustomerPortal):
    """The supplier's QMS records on /my: qualifications, certificates (and
    the upload of a renewed one, pending QA review), approved quality
    agreements (signed PDF), audits and the reply to their findings, change
    notices (and their submission). Every record is read as the portal user:
    its record rules keep it to the own company, the portal field whitelist
    to what suppliers may see; another supplier's record, or one that does
    not exist, sends back to /my."""

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _meddev_is_supplier(self):
        return request.env.user.has_group(PORTAL_GROUP)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        supplier = self._meddev_is_supplier()
        for counter, (model, domain) in COUNTERS.items():
            if counter in counters:
                values[counter] = (
                    request.env[model].search_count(domain) if supplier else 0
                )
        return values

    def _meddev_record(self, model, record_id):
        """The record as the portal user reads it, or AccessError /
        MissingError (the standard portal check)."""
        if not self._meddev_is_supplier():
            raise AccessError(request.env._("Supplier portal users only."))
        self._document_check_access(model, record_id)
        return request.env[model].with_context(active_test=False).browse(record_id)

    def _meddev_list(self, model, page, url, domain=None, context=None):
        """The records of a list page and its pager."""
        records = request.env[model].with_context(**(context or {}))
        total = records.search_count(domain or [])
        pager = portal_pager(
            url=url, total=total, page=page, step=ITEMS_PER_PAGE, url_args={}
        )
        found = records.search(
            domain or [], limit=ITEMS_PER_PAGE, offset=pager["offset"]
        )
        return found, pager

    @staticmethod
    def _meddev_date(value):
        """A date typed in a form, or UserError."""
        if not value:
            return False
        try:
            return fields.Date.to_date(value)
        except ValueError as exc:
            raise UserError(
                request.env._("%(value)s is not a date.", value=value)
            ) from exc

    def _meddev_render_list(self, model, page, url, template, page_name, **kwargs):
        if not self._meddev_is_supplier():
            return request.redirect("/my")
        records, pager = self._meddev_list(model, page, url, **kwargs)
        request.session[f"my_{page_name}_history"] = records.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(records=records, pager=pager, page_name=page_name)
        return request.render(template, values)

    def _meddev_render_record(self, record, template, page_name, **values):
        values = self._get_page_view_values(
            record,
            None,
            dict(values, page_name=page_name, record=record),
            f"my_{page_name}_history",
            False,
        )
        return request.render(template, values)

    # ------------------------------------------------------------------
    # lists and records
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/<string:kind>", "/my/meddev/<string:kind>/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_meddev_list(self, kind, page=1, **kw):
        model, domain = KINDS.get(kind, (None, None))
        if domain is None:
            return request.not_found()
        return self._meddev_render_list(
            model,
            page,
            f"/my/meddev/{kind}",
            f"meddev_supplier.portal_my_meddev_{kind}",
            f"meddev_{kind}",
            domain=domain,
            # the supplier's uploads pending or rejected are archived
            context={"active_test": False} if kind == "certificates" else None,
        )

    @http.route(
        ["/my/meddev/<string:kind>/<int:record_id>"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_meddev_record(self, kind, record_id, **post):
        if kind not in KINDS:
            return request.not_found()
        try:
            record = self._meddev_record(KINDS[kind][0], record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {}
        if kind == "findings" and request.httprequest.method == "POST":
            values["error"] = self._meddev_reply(record, post)
            if not values["error"]:
                return request.redirect(f"/my/meddev/findings/{record.id}?replied=1")
        values["replied"] = bool(post.get("replied"))
        return self._meddev_render_record(
            record,
            f"meddev_supplier.portal_my_meddev_{kind}_record",
            PAGE_NAMES.get(kind, f"meddev_{kind}"),
            **values,
        )

    @http.route(
        ["/my/meddev/certificates/<int:record_id>/renew"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_meddev_certificate_renew(self, record_id, **post):
        try:
            record = self._meddev_record("meddev.supplier.certificate", record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if record.review_state != "accepted" or not record.active:
            return request.redirect(f"/my/meddev/certificates/{record.id}")
        error = None
        if request.httprequest.method == "POST":
            try:
                renewal = self._meddev_submit_renewal(record, post)
            except UserError as exc:
                error = str(exc)
            else:
                return request.redirect(f"/my/meddev/certificates/{renewal.id}")
        return self._meddev_render_record(
            record,
            "meddev_supplier.portal_my_meddev_certificate_renew",
            "meddev_certificates",
            error=error,
            post=post,
        )

    def _meddev_submit_renewal(self, certificate, post):
        """Create, as the portal user, the renewed certificate pending review;
        nothing is kept when it is refused."""
        upload = post.get("attachment")
        if not upload or not getattr(upload, "filename", None):
            raise UserError(
                request.env._("Attach the renewed certificate (PDF) to submit it.")
            )
        values = {
            "partner_id": certificate.partner_id.id,
            "cert_type": certificate.cert_type,
            "scope_ids": [(6, 0, certificate.scope_ids.ids)],
            "renewal_of_id": certificate.id,
            "number": (post.get("number") or "").strip(),
            "issuer": (post.get("issuer") or "").strip(),
            "issue_date": self._meddev_date(post.get("issue_date")),
            "expiry_date": self._meddev_date(post.get("expiry_date")),
            "attachment": base64.b64encode(upload.read()),
            "attachment_filename": upload.filename,
        }
        if not values["number"]:
            raise UserError(request.env._("Give the certificate number."))
        with request.env.cr.savepoint():
            return request.env["meddev.supplier.certificate"].create(values)

    # ------------------------------------------------------------------
    # quality agreements, finding replies, change notices
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/agreements/<int:record_id>/pdf"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_meddev_agreement_pdf(self, record_id, **kw):
        try:
            record = self._meddev_record("meddev.supplier.quality.agreement", record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._meddev_agreement_pdf(record)

    def _meddev_agreement_pdf(self, agreement):
        """The agreement's PDF (the quality agreement report), downloaded."""
        # the report is rendered by the server for the agreement the portal
        # user reads (checked by the caller), as Odoo's portal does
        response = self._show_report(
            agreement.sudo(), "pdf", QUALITY_AGREEMENT_REPORT, download=False
        )
        name = re.sub(r"\W+", "-", f"{agreement.name}-rev{agreement.revision}")
        response.headers["Content-Disposition"] = content_disposition(f"{name}.pdf")
        return response

    def _meddev_reply(self, finding, post):
        """Write the supplier's reply to ``finding`` as the portal user: the
        refusal's message, or None; nothing is kept when it is refused."""
        try:
            with request.env.cr.savepoint():
                finding.write(
                    {
                        name: (post.get(name) or "").strip()
                        for name in ("root_cause", "correction", "corrective_action")
                    }
                )
        except UserError as exc:
            return str(exc)
        return None

    @http.route(
        ["/my/meddev/change_notices/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_meddev_change_notice_new(self, **post):
        if not self._meddev_is_supplier():
            return request.redirect("/my")
        error = None
        if request.httprequest.method == "POST":
            try:
                notice = self._meddev_submit_change_notice(post)
            except UserError as exc:
                error = str(exc)
            else:
                return request.redirect(f"/my/meddev/change_notices/{notice.id}")
        values = self._prepare_portal_layout_values()
        Notice = request.env["meddev.supplier.change.notice"]
        values.update(
            page_name="meddev_change_notices",
            error=error,
            post=post,
            change_types=Notice._fields["change_type"]._description_selection(
                request.env
            ),
            scopes=request.env["meddev.supplier.qualification"]
            .search([])
            .mapped("scope_id"),
        )
        return request.render(
            "meddev_supplier.portal_my_meddev_change_notice_new", values
        )

    def _meddev_submit_change_notice(self, post):
        """Create, as the portal user, the change notice received by QA;
        nothing is kept when it is refused."""
        scope_ids = [
            int(value)
            for value in request.httprequest.form.getlist("scope_ids")
            if value.isdigit()
        ]
        values = {
            "partner_id": request.env.user.commercial_partner_id.id,
            "change_type": post.get("change_type"),
            "description": (post.get("description") or "").strip(),
            "reason": (post.get("reason") or "").strip(),
            "affected_products": (post.get("affected_products") or "").strip(),
            "planned_date": self._meddev_date(post.get("planned_date")),
            "scope_ids": [(6, 0, scope_ids)],
        }
        change_types = dict(
            request.env["meddev.supplier.change.notice"]
            ._fields["change_type"]
            ._description_selection(request.env)
        )
        if values["change_type"] not in change_types or not values["description"]:
            raise UserError(
                request.env._("Say what kind of change it is and what changes.")
            )
        with request.env.cr.savepoint():
            return request.env["meddev.supplier.change.notice"].create(values)
