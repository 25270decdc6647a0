"""Inspection results API: instruments and MES post the measurements of a
lot's open inspection (README, "Inspection results API").

Authenticated by an API key of the integration user (Odoo's own
``res.users.apikeys``) in the ``Authorization: Bearer`` header only: a browser
session is never used, so the route needs no CSRF token. The request then runs
as that user: Odoo's access rights and record rules decide what it may read
and write, and the audit trail names it as the author of every value.

A call is all or nothing: every item is checked first, each problem is
reported with its item's index, and the values are written (in one savepoint)
only when there is none.
"""

import json
import logging
import math
import re

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import (
    reason_parts,
    system_reason,
)

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

ROUTE = "/meddev/api/v1/inspection-results"
BEARER = re.compile(r"^\s*bearer\s+(\S+)\s*$", re.IGNORECASE)
PAYLOAD_KEYS = ("lot", "product", "inspection", "results", "reason")
ITEM_KEYS = ("question", "value", "uom")
INSPECTOR_GROUP = "meddev_base.group_meddev_qc_inspector"


class ApiError(Exception):
    """Ends the call with this HTTP status and JSON body; nothing written."""

    def __init__(self, status, message, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.body = {"error": message, "errors": errors or []}
        self.headers = headers or []


def _json_response(status, body, headers=()):
    data = json.dumps(body, ensure_ascii=False, default=str).encode()
    return request.make_response(
        data,
        headers=[("Content-Type", "application/json; charset=utf-8"), *headers],
        status=status,
    )


def _is_number(value):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


class MeddevInspectionResultsApi(http.Controller):
    @http.route(
        ROUTE,
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def meddev_post_inspection_results(self, **_params):
        try:
            self._meddev_authenticate()
            payload = self._meddev_payload()
            body = ResultsPost(request.env, payload).post()
        except ApiError as error:
            return _json_response(error.status, error.body, error.headers)
        return _json_response(200, body)

    def _meddev_authenticate(self):
        """Run as the user of the API key, in the user's language; only an
        internal user may post."""
        env = request.env
        match = BEARER.match(request.httprequest.headers.get("Authorization") or "")
        challenge = [("WWW-Authenticate", 'Bearer realm="meddev"')]
        if not match:
            raise ApiError(
                401,
                env._(
                    "Authentication required: send the API key of the "
                    "integration user in the header 'Authorization: Bearer <key>'."
                ),
                headers=challenge,
            )
        # the 'rpc' scope: the keys users create in their preferences
        uid = env["res.users.apikeys"]._check_credentials(scope="rpc", key=match[1])
        if not uid:
            self._meddev_record_refused_key()
            raise ApiError(401, env._("Invalid or expired API key."), headers=challenge)
        request.update_env(user=uid)
        user = request.env.user
        request.update_env(context=dict(request.env.context, lang=user.lang))
        if user.share:
            raise ApiError(
                403,
                request.env._(
                    "%(user)s is not an internal user: inspection results are "
                    "posted by an internal integration user only.",
                    user=user.name,
                ),
            )

    def _meddev_record_refused_key(self):
        """A wrong key is a failed access attempt, for the security officers:
        counted with the failed logins per IP address and hour, the first of
        each hour also an entry of the audit trail (committed with the 401)."""
        ip_address = request.httprequest.remote_addr
        _logger.info("results API: invalid API key from %s", ip_address)
        env = request.env(user=SUPERUSER_ID, su=True)
        text, code, params = reason_parts(
            system_reason(
                env,
                _lt(
                    "Failed login: invalid or expired API key (inspection results API)"
                ),
            )
        )
        first = env["meddev.login.failure"]._record(
            "", env["res.users"], ip_address, text
        )
        if first:
            env["meddev.audit.entry"]._insert_rows(
                [
                    (
                        None,
                        "",
                        "res.users",
                        0,
                        "",
                        "login_failed",
                        [],
                        text,
                        None,
                        code,
                        params,
                    )
                ]
            )

    def _meddev_payload(self):
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            raise ApiError(
                415,
                request.env._(
                    "Send the results as JSON, with the header "
                    "'Content-Type: application/json'."
                ),
            )
        try:
            payload = json.loads(httprequest.get_data(as_text=True))
        except ValueError as exc:
            raise ApiError(
                400,
                request.env._("The body is not valid JSON: %(error)s", error=exc),
            ) from exc
        if not isinstance(payload, dict):
            raise ApiError(
                400,
                request.env._(
                    "The body must be a JSON object with the keys lot and results."
                ),
            )
        return payload


class ResultsPost:
    """One call of the API: the payload checked against the open inspection
    of its lot, then written as the current user, or nothing."""

    def __init__(self, env, payload):
        self.env = env
        self.payload = payload
        self.errors = []

    def error(self, message, index=None, field=None):
        self.errors.append({"index": index, "field": field, "message": message})

    def raise_errors(self, status=400):
        if self.errors:
            raise ApiError(
                status,
                self.env._(
                    "Nothing was written: %(count)s problem(s) in the request.",
                    count=len(self.errors),
                ),
                self.errors,
            )

    # ------------------------------------------------------------------
    # the call
    # ------------------------------------------------------------------
    def post(self):
        self._check_rights()
        lot, product, reference, results, reason = self._read_payload()
        inspection = self._find_inspection(lot, product, reference)
        writes = self._check_results(inspection, results)
        self.raise_errors()
        reason = reason or system_reason(
            self.env,
            _lt(
                "Posted by %(user)s through the inspection results API",
                user=self.env.user.name,
            ),
        )
        self._write(writes, reason)
        # the lot's name, which the integration user's role need not read
        _logger.info(
            "results API: %s posted %s result(s) for %s (lot %s)",
            self.env.user.login,
            len(writes),
            inspection.name,
            inspection.lot_id.sudo().name,
        )
        return {
            "inspection": inspection.name,
            "inspection_id": inspection.id,
            # as above: the lot's name, read as the system
            "lot": inspection.lot_id.sudo().name,
            "product": inspection.product_id.display_name,
            "product_code": inspection.product_id.default_code or None,
            "reason": str(reason),
            "results": [
                {
                    "index": index,
                    "question": line.name,
                    "question_id": line.test_line.id,
                    "line_id": line.id,
                    "value": line.quantitative_value
                    if line.question_type == "quantitative"
                    else line.qualitative_value.name,
                    "uom": line.uom_id.name
                    if line.question_type == "quantitative"
                    else None,
                    "success": line.success,
                }
                for index, line, _vals in writes
            ],
        }

    def _check_rights(self):
        """The user may read inspections and write their lines (Odoo's access
        rights: the QC Inspector role); the record rules are applied by the
        searches and the writes."""
        env = self.env
        if env["qc.inspection"].has_access("read") and env[
            "qc.inspection.line"
        ].has_access("write"):
            return
        # the role's name for the message, whatever the caller may read
        role = env.ref(INSPECTOR_GROUP).sudo()
        raise ApiError(
            403,
            env._(
                "%(user)s may not enter inspection results: give the integration "
                "user the %(role)s role.",
                user=env.user.name,
                role=role.full_name,
            ),
        )

    def _read_payload(self):
        env, payload = self.env, self.payload
        for key in payload:
            if key not in PAYLOAD_KEYS:
                self.error(
                    env._(
                        "Unknown key %(key)s: the request takes %(keys)s.",
                        key=key,
                        keys=", ".join(PAYLOAD_KEYS),
                    ),
                    field=key,
                )
        lot = payload.get("lot")
        if not isinstance(lot, str) or not lot.strip():
            self.error(env._("lot is required: the lot number (text)."), field="lot")
        for key in ("product", "inspection", "reason"):
            value = payload.get(key)
            if value is not None and not isinstance(value, str):
                self.error(env._("%(key)s must be text.", key=key), field=key)
        results = payload.get("results")
        if not isinstance(results, list) or not results:
            self.error(
                env._(
                    "results is required: a list of results, each with question, "
                    "value and, for a measurement, uom."
                ),
                field="results",
            )
        self.raise_errors()
        return (
            lot.strip(),
            (payload.get("product") or "").strip(),
            (payload.get("inspection") or "").strip(),
            results,
            (payload.get("reason") or "").strip(),
        )

    # ------------------------------------------------------------------
    # the inspection
    # ------------------------------------------------------------------
    def _find_inspection(self, lot, product, reference):
        """The open inspection (of a sampling plan) of the lot, as the user
        reads it; an ApiError if there is none, or more than one."""
        env = self.env
        # the lot is named by the caller: found as the system, in the user's
        # companies (a QC inspector need not read the stock)
        lot_domain = [
            ("name", "=", lot),
            ("company_id", "in", [*env.companies.ids, False]),
        ]
        if product:
            lot_domain.append(("product_id.default_code", "=", product))
        lots = env["stock.lot"].sudo().search(lot_domain)
        if not lots:
            message = env._("Unknown lot %(lot)s.", lot=lot)
            if product:
                message = env._(
                    "Unknown lot %(lot)s of product %(product)s.",
                    lot=lot,
                    product=product,
                )
            self.error(message, field="lot")
            self.raise_errors()
        domain = [("meddev_plan_id", "!=", False), ("lot_id", "in", lots.ids)]
        if reference:
            domain.append(("name", "=", reference))
        inspections = env["qc.inspection"].search(domain, order="id desc")
        if not inspections:
            message = env._(
                "Lot %(lot)s has no inspection of a sampling plan that you may "
                "see: it was not received under one.",
                lot=lot,
            )
            if reference:
                message = env._(
                    "Lot %(lot)s has no inspection %(inspection)s of a sampling "
                    "plan that you may see.",
                    lot=lot,
                    inspection=reference,
                )
            self.error(message, field="inspection" if reference else "lot")
            self.raise_errors()
        todo = inspections.filtered(lambda i: i.meddev_state == "todo")
        if not todo:
            labels = dict(
                env["qc.inspection"]._fields["meddev_state"]._description_selection(env)
            )
            self.error(
                env._(
                    "Lot %(lot)s has no open inspection: %(inspections)s. Its "
                    "results are signed and frozen; a re-inspection records new "
                    "ones.",
                    lot=lot,
                    inspections=", ".join(
                        f"{i.name} ({labels[i.meddev_state]})" for i in inspections
                    ),
                ),
                field="lot",
            )
            self.raise_errors(409)
        if len(todo.product_id) > 1:
            self.error(
                env._(
                    "Lot %(lot)s is open for several products (%(products)s): give "
                    "the product's internal reference in product.",
                    lot=lot,
                    products=", ".join(todo.product_id.mapped("display_name")),
                ),
                field="product",
            )
        elif len(todo) > 1:
            self.error(
                env._(
                    "Lot %(lot)s has several open inspections (%(inspections)s): "
                    "give the one meant in inspection.",
                    lot=lot,
                    inspections=", ".join(todo.mapped("name")),
                ),
                field="inspection",
            )
        self.raise_errors()
        return todo

    # ------------------------------------------------------------------
    # the results
    # ------------------------------------------------------------------
    def _check_results(self, inspection, results):
        """[(index, line, values to write)] of the items without error; each
        problem of an item is recorded with its index."""
        writes, seen = [], {}
        lines = inspection.inspection_lines
        for index, item in enumerate(results):
            if not isinstance(item, dict):
                self.error(
                    self.env._(
                        "Each result is an object with question, value and uom."
                    ),
                    index=index,
                )
                continue
            for key in item:
                if key not in ITEM_KEYS:
                    self.error(
                        self.env._(
                            "Unknown key %(key)s: a result takes %(keys)s.",
                            key=key,
                            keys=", ".join(ITEM_KEYS),
                        ),
                        index=index,
                        field=key,
                    )
            line = self._line(index, item.get("question"), lines, inspection)
            if not line:
                continue
            twice = line.id in seen
            if twice:
                self.error(
                    self.env._(
                        "Question %(question)s is given twice (results %(first)s "
                        "and %(index)s): post one value per question.",
                        question=line.name,
                        first=seen[line.id],
                        index=index,
                    ),
                    index=index,
                    field="question",
                )
            seen.setdefault(line.id, index)
            # a repeated item's value is checked too: every problem is told
            if line.question_type == "quantitative":
                vals = self._quantitative(index, line, item)
            else:
                vals = self._qualitative(index, line, item)
            if vals and not twice:
                writes.append((index, line, vals))
        return writes

    def _line(self, index, question, lines, inspection):
        env = self.env
        if isinstance(question, int) and not isinstance(question, bool):
            found = lines.filtered(lambda line: line.test_line.id == question)
        elif isinstance(question, str) and question.strip():
            name = question.strip()
            found = lines.filtered(
                lambda line: name
                in (
                    line.name,
                    line.test_line.name,
                    line.test_line.with_context(lang="en_US").name,
                )
            )
        else:
            self.error(
                env._("question is required: the question's name or id."),
                index=index,
                field="question",
            )
            return None
        if not found:
            self.error(
                env._(
                    "Unknown question %(question)s: inspection %(inspection)s asks "
                    "%(questions)s.",
                    question=question,
                    inspection=inspection.name,
                    questions=", ".join(
                        f"{line.name} ({line.test_line.id})" for line in lines
                    ),
                ),
                index=index,
                field="question",
            )
            return None
        if len(found) > 1:
            self.error(
                env._(
                    "Question %(question)s is asked more than once in inspection "
                    "%(inspection)s: give its id (%(ids)s).",
                    question=question,
                    inspection=inspection.name,
                    ids=", ".join(str(i) for i in found.test_line.ids),
                ),
                index=index,
                field="question",
            )
            return None
        return found

    def _quantitative(self, index, line, item):
        env = self.env
        value, unit_name = item.get("value"), item.get("uom")
        valid = True
        if not _is_number(value):
            valid = False
            self.error(
                env._(
                    "Question %(question)s is a measurement: its value must be a "
                    "number (got %(value)s).",
                    question=line.name,
                    value=json.dumps(value, ensure_ascii=False),
                ),
                index=index,
                field="value",
            )
        unit = self._unit(index, line, unit_name)
        if not valid or not unit:
            return None
        return {"quantitative_value": float(value), "uom_id": unit.id}

    def _unit(self, index, line, unit_name):
        env = self.env
        test_unit = line.test_uom_id
        if not test_unit:
            self.error(
                env._(
                    "Question %(question)s has no unit in its test: its value "
                    "cannot be posted.",
                    question=line.name,
                ),
                index=index,
                field="uom",
            )
            return None
        if not isinstance(unit_name, str) or not unit_name.strip():
            self.error(
                env._(
                    "uom is required for question %(question)s: the unit of the "
                    "value, e.g. %(unit)s.",
                    question=line.name,
                    unit=test_unit.name,
                ),
                index=index,
                field="uom",
            )
            return None
        units = self._units_named(unit_name.strip())
        unit = units.filtered(lambda u: u.category_id == test_unit.category_id)[:1]
        if unit:
            return unit
        if units:
            message = env._(
                "Wrong unit %(unit)s for question %(question)s: it measures "
                "%(category)s, the question is measured in %(test_unit)s "
                "(%(test_category)s).",
                unit=unit_name,
                question=line.name,
                category=units[0].category_id.name,
                test_unit=test_unit.name,
                test_category=test_unit.category_id.name,
            )
        else:
            message = env._(
                "Unknown unit %(unit)s: question %(question)s is measured in "
                "%(test_unit)s.",
                unit=unit_name,
                question=line.name,
                test_unit=test_unit.name,
            )
        self.error(message, index=index, field="uom")
        return None

    def _units_named(self, name):
        """The units of measure of this name, in the user's language or in
        English (archived ones too: a test may use one)."""
        Uom = self.env["uom.uom"].with_context(active_test=False)
        units = Uom.search([("name", "=", name)])
        if self.env.lang != "en_US":
            units |= Uom.with_context(lang="en_US").search([("name", "=", name)])
        return units.with_env(self.env)

    def _qualitative(self, index, line, item):
        env = self.env
        value, unit_name = item.get("value"), item.get("uom")
        answers = line.possible_ql_values
        valid = True
        if unit_name not in (None, ""):
            valid = False
            self.error(
                env._(
                    "Question %(question)s is a check, not a measurement: it takes "
                    "no uom.",
                    question=line.name,
                ),
                index=index,
                field="uom",
            )
        answer = answers.browse()
        if isinstance(value, str) and value.strip():
            name = value.strip()
            answer = answers.filtered(
                lambda a: name in (a.name, a.with_context(lang="en_US").name)
            )[:1]
        if not answer:
            self.error(
                env._(
                    "Question %(question)s is a check: its value must be one of "
                    "its answers %(answers)s (got %(value)s).",
                    question=line.name,
                    answers=", ".join(answers.mapped("name")),
                    value=json.dumps(value, ensure_ascii=False),
                ),
                index=index,
                field="value",
            )
            return None
        return {"qualitative_value": answer.id} if valid else None

    # ------------------------------------------------------------------
    # the write
    # ------------------------------------------------------------------
    def _write(self, writes, reason):
        """Every value written as the user, audited with the reason; any
        refusal rolls all of them back."""
        env = self.env
        try:
            with env.cr.savepoint():
                for _index, line, vals in writes:
                    line.with_context(audit_reason=reason).write(vals)
                env.flush_all()
        except AccessError as exc:
            raise ApiError(
                403,
                env._(
                    "Nothing was written: %(user)s may not enter these results: "
                    "%(error)s",
                    user=env.user.name,
                    error=exc.args[0] if exc.args else exc,
                ),
            ) from exc
        except (UserError, ValidationError) as exc:
            raise ApiError(
                409,
                env._(
                    "Nothing was written: %(error)s",
                    error=exc.args[0] if exc.args else exc,
                ),
            ) from exc
