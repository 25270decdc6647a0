"""How an audit entry reads: field labels, values, record names and the
reasons the system writes, rendered when the entry is read, in the reader's
language, from what the entry stores without language (field names, raw
values and ids, selection keys, a reason code with its parameters).

Entries written before a piece of this was stored keep what they stored:
each rendering falls back to it.
"""

import json

from odoo.tools.translate import get_translation

# the reason code of a SystemReason
LAZY = "lazy"

# An x2many field's display value lists at most this many record names.
X2MANY_DISPLAY_LIMIT = 20


class SystemReason(str):
    """A reason for change the system gives: its text in the acting user's
    language (recorded, and hashed, as written) that also carries its
    translatable source, so that the trail reads it in the reader's language.
    A ``str``: it goes wherever a reason goes (the ``audit_reason`` context
    key included)."""

    module = source = None
    args = ()


def system_reason(env, lazy):
    """The reason ``_lt("...")`` (a lazy translation, see
    ``odoo.tools.translate.LazyTranslate``) as the system gives it."""
    reason = SystemReason(lazy._translate(env.lang or "en_US"))
    reason.module = lazy._module
    reason.source = lazy._source
    reason.args = json.loads(json.dumps(lazy._args, ensure_ascii=False, default=str))
    return reason


def reason_parts(reason):
    """(text, code, params) of a reason for change as the entry stores it."""
    if isinstance(reason, SystemReason) and reason.source:
        params = {"module": reason.module, "source": reason.source}
        params["args"] = reason.args
        return str(reason), LAZY, params
    if isinstance(reason, str) and reason.strip():
        return reason.strip(), None, None
    return None, None, None


def reason_text(env, code, params):
    """A reason the system wrote (``code`` and ``params``) in ``env``'s
    language, or None for a code this version does not know."""
    params = params or {}
    if code == LAZY and params.get("module") and params.get("source"):
        args = params.get("args") or ()
        return get_translation(
            params["module"],
            env.lang or "en_US",
            params["source"],
            tuple(args) if isinstance(args, list) else args,
        )
    if code == "sign_failed":
        return env._(
            "Step %(action)s: %(why)s",
            action=params.get("action") or "",
            why=_sign_failure(env, params.get("why")),
        )
    if code == "sign_locked":
        return env._(
            "%(count)s failed signature attempts within %(minutes)s minutes",
            count=params.get("count"),
            minutes=params.get("minutes"),
        )
    if code == "sign_unlocked":
        return env._("Unlocked by %(name)s", name=_user_name(env, params))
    if code == "role_granted":
        return env._(
            "%(grant)s: %(group)s granted until %(end)s UTC (%(reason)s)",
            grant=params.get("grant") or "",
            group=_group_name(env, params),
            end=params.get("end") or "",
            reason=params.get("reason") or "",
        )
    if code == "role_revoked":
        return env._(
            "%(grant)s: %(group)s taken back (%(why)s)",
            grant=params.get("grant") or "",
            group=_group_name(env, params),
            why=params.get("why") or "",
        )
    return None


def _sign_failure(env, why):
    """Why a signature was refused, as the signature mixin names it."""
    if why == "not allowed":
        return env._("not allowed")
    if why == "no two-factor authentication":
        return env._("no two-factor authentication")
    if why == "wrong credentials":
        return env._("wrong credentials")
    return why or ""


def _user_name(env, params):
    # the name of a user the reader may not read: the trail shows who acted
    user = env["res.users"].sudo().browse(params.get("user_id") or []).exists()
    return user.name if user else params.get("name") or ""


def _group_name(env, params):
    # roles are configuration, named to any reader of the entry
    group = env["res.groups"].sudo().browse(params.get("group_id") or []).exists()
    return group.full_name if group else params.get("group") or ""


def field_label(env, model, change):
    """The label of a recorded change's field in the reader's language."""
    fname = change.get("field")
    field = model._fields.get(fname) if model is not None and fname else None
    if field is not None:
        return field._description_string(env)
    if fname == "signature":
        return env._("Signature")
    return change.get("label") or fname or ""


def record_names(env, entries):
    """{entry: the record's name in the reader's language}: the record's
    display name while it exists, else the name stored with the entry, else
    the model's description and the record's id."""
    wanted = {}
    for entry in entries:
        if entry.res_model in env and entry.res_id:
            wanted.setdefault(entry.res_model, set()).add(entry.res_id)
    current = {}
    for model, ids in wanted.items():
        # the entry is readable to the reader: so is the name of its record
        records = env[model].sudo().browse(ids).exists()
        current.update({(model, rec.id): rec.display_name for rec in records})
    result = {}
    for entry in entries:
        name = current.get((entry.res_model, entry.res_id))
        if not name:
            name = entry.res_name or ""
            if not name or name == f"{entry.res_model},{entry.res_id}":
                name = f"{entry.res_model_name} #{entry.res_id}"
        result[entry] = name
    return result


def wanted_names(changes, model):
    """{comodel: ids} of the records whose names the changes show."""
    wanted = {}
    for change in changes:
        field = model._fields.get(change.get("field")) if model is not None else None
        if field is None or not field.relational:
            continue
        ids = []
        for key in ("old", "new"):
            value = change.get(key)
            if field.type == "many2one" and isinstance(value, int) and value:
                ids.append(value)
            elif isinstance(value, list) and "type" in change:
                # a list of ids recorded by the mixin (x2many)
                ids.extend(v for v in value if isinstance(v, int))
        ids.extend(v for v in change.get("display_ids") or [] if isinstance(v, int))
        if ids:
            wanted.setdefault(field.comodel_name, set()).update(ids)
    for change in changes:
        if change.get("field") != "signature" or (
            model is not None and "signature" in model._fields
        ):
            continue
        if isinstance(change.get("new"), int) and change["new"]:
            wanted.setdefault("meddev.signature", set()).add(change["new"])
        if isinstance(change.get("rule_id"), int):
            wanted.setdefault("meddev.signature.rule", set()).add(change["rule_id"])
    return wanted


def fetch_names(env, wanted):
    """{(model, id): record} for the records that still exist."""
    records = {}
    for comodel, ids in wanted.items():
        if comodel not in env:
            continue
        # the trail shows what was referenced, also to a reader who may not
        # read that record (the entry itself is readable to them)
        for rec in env[comodel].sudo().browse(ids).exists():
            records[(comodel, rec.id)] = rec
    return records


def render_change(env, model, change, records):
    """The change with its label and its old and new values as the reader
    reads them (a new dict; the stored one is left as it was)."""
    change = dict(change)
    field = model._fields.get(change.get("field")) if model is not None else None
    change["label"] = field_label(env, model, change)
    change["type"] = field.type if field is not None else change.get("type", False)
    if field is None and change.get("field") == "signature":
        change["new_display"] = _signature_display(env, change, records)
        change.setdefault("old_display", "")
        return change
    for key in ("old", "new"):
        stored = change.get(f"{key}_display")
        change[f"{key}_display"] = _value_display(
            env, field, change, key, stored, records
        )
    return change


def _signature_display(env, change, records):
    signature = records.get(("meddev.signature", change.get("new")))
    if not signature:
        return change.get("new_display") or ""
    meanings = dict(signature._fields["meaning"]._description_selection(env))
    rule = records.get(("meddev.signature.rule", change.get("rule_id")))
    if not rule and "rule_id" not in change:
        rule = _rule_of_step(env, signature, records)
    step = rule.name if rule else signature.action
    return f"{signature.printed_name}: {meanings.get(signature.meaning, '')} ({step})"


def _rule_of_step(env, signature, records):
    """The rule of a signed step, for entries recorded before they named it:
    one search per document type and step, kept in ``records``."""
    key = ("step", signature.res_model, signature.action)
    if key not in records:
        # configuration, named to any reader of the entry
        Rule = env["meddev.signature.rule"].sudo().with_context(active_test=False)
        records[key] = Rule.search(
            [("model", "=", key[1]), ("action", "=", key[2])], limit=1
        )
    return records[key]


def _value_display(env, field, change, key, stored, records):
    value = change.get(key)
    if field is None:
        return stored if stored is not None else _plain(value)
    ftype = field.type
    if ftype == "many2one":
        if not value:
            return ""
        rec = records.get((field.comodel_name, value))
        if rec:
            return rec.display_name
        if stored:
            return stored
        reference = f"{field.comodel_name},{value}"
        return env._("%(reference)s (deleted)", reference=reference)
    if ftype in ("one2many", "many2many"):
        return _x2many_display(field, change, key, stored, records)
    if ftype == "selection":
        labels = dict(field._description_selection(env))
        if value in labels:
            return str(labels[value])
        return stored if stored is not None else _plain(value)
    if ftype == "boolean" and value in (True, False, None):
        return env._("Yes") if value else env._("No")
    if isinstance(value, dict) and field.translate:
        return value.get(env.lang or "en_US") or value.get("en_US") or ""
    if stored is not None:
        return stored
    if value in (None, False):
        return ""
    if ftype in ("float", "monetary"):
        return str(float(value))
    if ftype == "datetime" and isinstance(value, str):
        return value.replace("T", " ")[:19]
    return _plain(value)


def _x2many_display(field, change, key, stored, records):
    ids = change.get("display_ids") if key == "new" else None
    if ids is None:
        ids = change.get(key) if "type" in change else None
    if not isinstance(ids, list):
        return stored or ""
    found = [records.get((field.comodel_name, i)) for i in ids]
    if not all(found):
        return stored or ""  # a record gone: its name as it was
    names = [rec.display_name for rec in found[:X2MANY_DISPLAY_LIMIT]]
    more = len(found) - len(names)
    return ", ".join(names) + (f" (+{more})" if more > 0 else "")


def _plain(value):
    if value in (None, False):
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
