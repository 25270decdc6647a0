from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.meddev_supplier.controllers.portal import MeddevSupplierPortal

from ..models.meddev_scar import D_FIELDS

SCAR_MODEL = "meddev.scar"
NC_MODEL = "meddev.nonconformance"
# {step in the URL /my/meddev/scars/<id>/<step>: the controller's method}
SCAR_STEPS = {"save": "_meddev_scar_save", "submit": "_meddev_scar_submit"}


class MeddevScarPortal(MeddevSupplierPortal):
    """The SCARs issued to the supplier on /my/meddev/scars: the request, its
    due date, the 8D answer (D1–D8) saved as a draft and submitted signed
    with the user's password; and the supplier's report of an exception on
    /my/meddev/exceptions/new.

    SCARs are read and written as the portal user: the record rule keeps it
    to the own company's issued requests, the portal whitelist to the 8D
    fields, the model to the issued state, the stage permission to the
    supplier's step. The exception reported is recorded by the server (the
    portal user has no access to exceptions)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "meddev_scar_count" in counters:
            values["meddev_scar_count"] = (
                request.env[SCAR_MODEL].search_count([])
                if self._meddev_is_supplier()
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # list and detail
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/scars", "/my/meddev/scars/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_meddev_scars(self, page=1, **kw):
        return self._meddev_render_list(
            SCAR_MODEL,
            page,
            "/my/meddev/scars",
            "meddev_quality.portal_my_meddev_scars",
            "meddev_scars",
        )

    @http.route(
        ["/my/meddev/scars/<int:scar_id>"], type="http", auth="user", website=True
    )
    def portal_meddev_scar(self, scar_id, done=None, **kw):
        try:
            scar = self._meddev_record(SCAR_MODEL, scar_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._meddev_render_scar(scar, done=done if done in SCAR_STEPS else None)

    def _meddev_render_scar(self, scar, **values):
        values.update(
            d_fields=[
                (name, scar._fields[name]._description_string(request.env))
                for name in D_FIELDS
            ],
            can_answer=scar.state == "issued",
            post=values.get("post") or {},
        )
        return self._meddev_render_record(
            scar,
            "meddev_quality.portal_my_meddev_scars_record",
            "meddev_scars",
            **values,
        )

    # ------------------------------------------------------------------
    # the supplier's answer
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/scars/<int:scar_id>/<string:step>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_meddev_scar_step(self, scar_id, step, **post):
        if step not in SCAR_STEPS:
            return request.not_found()
        try:
            scar = self._meddev_record(SCAR_MODEL, scar_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            # nothing of a refused step is kept
            with request.env.cr.savepoint():
                getattr(self, SCAR_STEPS[step])(scar, post)
        except (UserError, AccessError) as exc:
            scar.invalidate_recordset()
            return self._meddev_render_scar(scar, error=str(exc), post=post)
        return request.redirect(f"/my/meddev/scars/{scar.id}?done={step}")

    def _meddev_scar_save(self, scar, post):
        """Write the 8D answer as the portal user (the model refuses it
        outside the issued state)."""
        scar.write({name: (post.get(name) or "").strip() for name in D_FIELDS})

    def _meddev_scar_submit(self, scar, post):
        """Write the answer and submit it, signed with the user's password."""
        self._meddev_scar_save(scar, post)
        scar._meddev_sign("answer", post.get("password") or "")

    # ------------------------------------------------------------------
    # the supplier reports an exception
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/exceptions/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_meddev_exception_new(self, **post):
        if not self._meddev_is_supplier():
            return request.redirect("/my")
        error = None
        if request.httprequest.method == "POST":
            try:
                with request.env.cr.savepoint():
                    record = self._meddev_report_exception(post)
            except UserError as exc:
                error = str(exc)
            else:
                post = {"reported": record.name}
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="meddev_exception_new",
            error=error,
            post=post,
            types=self._meddev_exception_types(),
        )
        return request.render("meddev_quality.portal_meddev_exception_new", values)

    def _meddev_exception_types(self):
        # the exception types are our configuration: the supplier picks one
        # by name, reading nothing else of it
        return (
            request.env[f"{NC_MODEL}.type"]
            .sudo()
            .search([("company_id", "in", (False, request.env.user.company_id.id))])
        )

    def _meddev_report_exception(self, post):
        types = self._meddev_exception_types()
        type_id = int(post["type_id"]) if (post.get("type_id") or "").isdigit() else 0
        description = (post.get("description") or "").strip()
        if type_id not in types.ids or not description:
            raise UserError(
                request.env._("Say what kind of exception it is and what happened.")
            )
        occurred = self._meddev_date(post.get("occurred_on")) or fields.Date.today()
        affected = (post.get("affected") or "").strip()
        return request.env[NC_MODEL]._meddev_create_from_portal(
            {
                "type_id": type_id,
                "description": description,
                "occurred_on": fields.Datetime.to_datetime(occurred),
                "location": (post.get("location") or "").strip(),
                "how_detected": "\n".join(
                    part
                    for part in (
                        (post.get("how_detected") or "").strip(),
                        affected
                        and request.env._(
                            "Product and lots concerned: %(affected)s",
                            affected=affected,
                        ),
                    )
                    if part
                ),
            }
        )
