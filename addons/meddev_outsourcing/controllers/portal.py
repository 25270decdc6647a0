import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.meddev_supplier.controllers.portal import MeddevSupplierPortal

from ..models.meddev_outsourcing_process_record import RECORDING_STATES

JOB_MODEL = "meddev.outsourcing.job"
RECORD_MODEL = "meddev.outsourcing.process.record"
DOCUMENT_MODEL = "meddev.outsourcing.job.document"
# the jobs the supplier sees: those released to it (a draft is still ours)
JOB_DOMAIN = [("date_sent", "!=", False)]
# documents are uploaded while the job is at the supplier or returned
UPLOAD_STATES = ("sent", *RECORDING_STATES)
# {step in the URL /my/meddev/jobs/<id>/<step>: the controller's method}
JOB_STEPS = {
    "acknowledge": "_meddev_job_acknowledge",
    "start": "_meddev_job_start",
    "record": "_meddev_job_record",
    "upload": "_meddev_job_upload",
    "submit": "_meddev_job_submit",
}


class MeddevOutsourcingPortal(MeddevSupplierPortal):
    """The supplier's outsourcing jobs on /my/meddev/jobs: the job released to
    it, the process specification version it works to, its acknowledgement
    and start, the process record (checked against the limits by the model),
    the upload of the CoC and other required records, and the submission of
    the record signed with the user's password.

    Everything is read and written as the portal user: the record rules keep
    it to the own company's jobs, the portal field whitelists to what a
    supplier sees and writes, the stage permissions to the steps a supplier
    takes. No access token: the logged-in supplier's user signs its steps."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "meddev_outsourcing_job_count" in counters:
            values["meddev_outsourcing_job_count"] = (
                request.env[JOB_MODEL].search_count(JOB_DOMAIN)
                if self._meddev_is_supplier()
                else 0
            )
        return values

    def _meddev_job(self, job_id):
        """The job as the portal user reads it, once released to its
        supplier; AccessError / MissingError otherwise."""
        job = self._meddev_record(JOB_MODEL, job_id)
        if not job.date_sent:
            raise MissingError(request.env._("This job is not released to you."))
        return job

    # ------------------------------------------------------------------
    # list and detail
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/jobs", "/my/meddev/jobs/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_meddev_jobs(self, page=1, **kw):
        return self._meddev_render_list(
            JOB_MODEL,
            page,
            "/my/meddev/jobs",
            "meddev_outsourcing.portal_my_meddev_jobs",
            "meddev_jobs",
            domain=JOB_DOMAIN,
        )

    @http.route(
        ["/my/meddev/jobs/<int:job_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_meddev_job(self, job_id, done=None, **kw):
        try:
            job = self._meddev_job(job_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._meddev_render_job(job, done=done if done in JOB_STEPS else None)

    def _meddev_render_job(self, job, **values):
        Document = request.env[DOCUMENT_MODEL]
        spec = job.spec_id
        values.update(
            spec=spec,
            parameters=spec.parameter_ids,
            record_by_parameter={
                record.parameter_id.id: record for record in job.record_ids
            },
            document_kinds=Document._fields["code"]._description_selection(request.env),
            can_record=job.state in RECORDING_STATES and not job.record_submitted_on,
            can_upload=job.state in UPLOAD_STATES,
            post=values.get("post") or {},
        )
        return self._meddev_render_record(
            job,
            "meddev_outsourcing.portal_my_meddev_jobs_record",
            "meddev_jobs",
            **values,
        )

    # ------------------------------------------------------------------
    # the supplier's steps
    # ------------------------------------------------------------------
    @http.route(
        ["/my/meddev/jobs/<int:job_id>/<string:step>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_meddev_job_step(self, job_id, step, **post):
        if step not in JOB_STEPS:
            return request.not_found()
        try:
            job = self._meddev_job(job_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            # nothing of a refused step is kept
            with request.env.cr.savepoint():
                getattr(self, JOB_STEPS[step])(job, post)
        except UserError as exc:
            return self._meddev_render_job(job, error=str(exc), post=post, step=step)
        return request.redirect(f"/my/meddev/jobs/{job.id}?done={step}")

    def _meddev_job_acknowledge(self, job, post):
        job.action_acknowledge()

    def _meddev_job_start(self, job, post):
        job.action_start()

    def _meddev_job_record(self, job, post):
        """Create or update, as the portal user, the process record's value
        of every parameter of the job's specification; the model checks the
        value and its unit."""
        existing = {record.parameter_id: record for record in job.record_ids}
        to_create = []
        for parameter in job.spec_id.parameter_ids:
            value = (post.get(f"value_{parameter.id}") or "").strip()
            unit = (post.get(f"uom_{parameter.id}") or "").strip()
            record = existing.get(parameter)
            if record and (record.value_entered or "", record.uom or "") != (
                value,
                unit,
            ):
                record.write({"value_entered": value, "uom": unit})
            elif not record and value:
                to_create.append(
                    {
                        "job_id": job.id,
                        "parameter_id": parameter.id,
                        "value_entered": value,
                        "uom": unit,
                    }
                )
        request.env[RECORD_MODEL].create(to_create)

    def _meddev_job_upload(self, job, post):
        """Create, as the portal user, the document uploaded for the job."""
        upload = post.get("attachment")
        if not upload or not getattr(upload, "filename", None):
            raise UserError(request.env._("Choose the file to upload."))
        Document = request.env[DOCUMENT_MODEL]
        kinds = dict(Document._fields["code"]._description_selection(request.env))
        if post.get("code") not in kinds:
            raise UserError(request.env._("Say which record the file is."))
        Document.create(
            {
                "job_id": job.id,
                "name": (post.get("name") or "").strip() or kinds[post["code"]],
                "code": post["code"],
                "datas": base64.b64encode(upload.read()),
                "filename": upload.filename,
            }
        )

    def _meddev_job_submit(self, job, post):
        """Submit the process record, signed with the user's password."""
        job._meddev_sign("submit_record", post.get("password") or "")
