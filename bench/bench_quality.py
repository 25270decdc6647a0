#!/usr/bin/env python3
"""Lot inspections on receipt: what meddev_quality's sampling plan costs when
a purchase receipt of many lots is validated, against OCA
quality_control_stock_oca's own trigger creating one inspection per lot on
Odoo without meddev.

Usage (from the repository root)::

    python3 bench/bench_quality.py                     # full sizes, writes RESULTS.md
    python3 bench/bench_quality.py --receipts 3 --rounds 1 --lots 10 \\
        --results /tmp/smoke.md                        # a quick smoke run

It creates two fresh databases, no demo data:

- ``<db>_oca`` (``mdd_bench_quality_oca`` unless ``--db``): Odoo and the OCA
  modules the suite builds on, exactly the non-meddev modules installed in the
  meddev database below (quality_control_stock_oca, purchase_stock,
  mrp_subcontracting_purchase, base_tier_validation, ...), and no meddev
  module;
- ``<db>`` (``mdd_bench_quality``): the same plus ``meddev_quality``.

Both get the same test (the same questions), a supplier and a lot-tracked
product. Per round and variant it confirms ``--receipts`` one-line purchase
orders of ``--lots`` lots of ``--lot-qty`` units and validates their
receipts, the variants taking turns receipt by receipt:

- (0) for scale, in the database without meddev: the same receipt of a
  product nothing inspects (Odoo's own validation);
- (a) Odoo + OCA alone, in the database without meddev: the incoming
  operation type's ``qc.trigger`` with ``inspection_per_lot``, a product
  trigger line with the test, timing "after": OCA makes the inspections;
- (a') the same OCA trigger in the meddev database, for a product no
  sampling plan applies to (meddev's hooks run and find no plan): what
  having meddev installed costs OCA's own path;
- (b) meddev_quality in the meddev database: a GB/T 2828.1 sampling plan
  for the product and supplier, no OCA trigger line; meddev makes one
  inspection per lot with its sampling figures and the test's questions,
  and the receipt goes to quarantine (routed at confirmation).

Each call (``button_confirm()``, ``button_validate()``) is timed with the
flush and the commit of its transaction, as one RPC call would be. The
ratio (b)/(a) of the validation is the issue's figure (target 1.15 x). The
databases are dropped at the end unless ``--keep-db``. Nothing here fails on
speed: the numbers are ratios to read, never a test.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_audit as common  # noqa: E402  (the audit benchmark's helpers)

MARK_START = "<!-- bench_quality:start -->"
MARK_END = "<!-- bench_quality:end -->"
MODULES = "meddev_quality"
VARIANTS = (
    ("odoo", "(0) Odoo alone, database without meddev: no inspection"),
    ("oca", "(a) Odoo + OCA alone: OCA trigger per lot, database without meddev"),
    (
        "oca_meddev",
        "(a') the same OCA trigger, meddev database, product without sampling plan",
    ),
    ("meddev", "(b) meddev_quality: sampling plan, no OCA trigger line"),
)
# the questions of the test, the same in both databases (meddev adds the
# defect class of each question in its database)
QUESTIONS = (
    ("Thread outer diameter", "quantitative", (4.45, 4.55), "major"),
    ("Overall length", "quantitative", (39.8, 40.2), "major"),
    ("Burrs", "qualitative", None, "minor"),
)


# --------------------------------------------------------------------------
# set-up
# --------------------------------------------------------------------------
def make_test(env, meddev):
    from odoo import Command

    mm = env.ref("uom.product_uom_millimeter")
    lines = []
    for name, kind, limits, klass in QUESTIONS:
        vals = {"name": name, "type": kind}
        if kind == "quantitative":
            vals.update({"min_value": limits[0], "max_value": limits[1]})
            vals["uom_id"] = mm.id
        else:
            vals["ql_values"] = [
                Command.create({"name": "None", "ok": True}),
                Command.create({"name": "Found", "ok": False}),
            ]
        if meddev:
            vals["meddev_defect_class"] = klass
        lines.append(Command.create(vals))
    return env["qc.test"].create({"name": "Bench lot inspection", "test_lines": lines})


def make_product(env, name):
    return env["product.product"].create(
        {"name": name, "is_storable": True, "tracking": "lot"}
    )


def add_oca_trigger(env, product, test):
    """OCA's own set-up: the incoming operation type's trigger (made by
    quality_control_stock_oca for every operation type) inspects per lot,
    and a product line names the test, timing "after" (on validation)."""
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    trigger = (
        env["qc.trigger"]
        .sudo()
        .search([("picking_type_id", "=", warehouse.in_type_id.id)])
    )
    if len(trigger) != 1:
        common.die(f"expected one qc.trigger for the receipts, found {len(trigger)}")
    trigger.inspection_per_lot = True
    env["qc.trigger.product_line"].sudo().create(
        {
            "trigger": trigger.id,
            "test": test.id,
            "product": product.id,
            "timing": "after",
        }
    )


def setup_oca(env):
    test = make_test(env, meddev=False)
    supplier = env["res.partner"].create(
        {"name": "Bench Medical Moulding", "is_company": True}
    )
    product = make_product(env, "Bench syringe barrel (OCA)")
    add_oca_trigger(env, product, test)
    plain = make_product(env, "Bench syringe barrel (no inspection)")
    env.cr.commit()
    return {"odoo": (supplier, plain), "oca": (supplier, product)}, test


def setup_meddev(env):
    test = make_test(env, meddev=True)
    supplier = env["res.partner"].create(
        {"name": "Bench Medical Moulding", "is_company": True}
    )
    oca_product = make_product(env, "Bench syringe barrel (OCA)")
    add_oca_trigger(env, oca_product, test)
    product = make_product(env, "Bench syringe barrel (plan)")
    # bench set-up as the superuser: the administrator holds no QA role
    env["meddev.sampling.plan"].sudo().create(
        {
            "name": "Bench syringe barrel IQC",
            "product_id": product.id,
            "partner_id": supplier.id,
            "test_id": test.id,
            "inspection_level": "ii",
            "aql_critical": "0",
            "aql_major": "0.65",
            "aql_minor": "2.5",
            "review_required": True,
        }
    )
    env.cr.commit()
    return {"oca_meddev": (supplier, oca_product), "meddev": (supplier, product)}, test


# --------------------------------------------------------------------------
# receipts
# --------------------------------------------------------------------------
class LotNames:
    """Unique lot names across the run."""

    def __init__(self):
        self.next = 1

    def take(self, count):
        start = self.next
        self.next += count
        return [f"BENCH-{n:06d}" for n in range(start, start + count)]


def create_orders(env, supplier, product, count, args):
    from odoo import fields

    orders = env["purchase.order"].create(
        [
            {
                "partner_id": supplier.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_qty": args.lots * args.lot_qty,
                            "price_unit": 0.3,
                            "date_planned": fields.Datetime.now(),
                        },
                    )
                ],
            }
            for _i in range(count)
        ]
    )
    env.cr.commit()
    return orders


def fill_receipt(env, picking, names, lot_qty):
    """The receiving clerk's lines: one per lot, with its new lot name."""
    move = picking.move_ids
    if len(move) != 1:
        common.die(f"{picking.name}: expected one move, found {len(move)}")
    move.move_line_ids.unlink()
    env["stock.move.line"].create(
        [
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": move.product_id.id,
                "lot_name": name,
                "quantity": lot_qty,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
            for name in names
        ]
    )
    move.picked = True


def timed_turns(envs, documents, call, keys, times, sql):
    """``call(document)`` for each variant, turn by turn (the order rotated
    at each document) so that the shared machine's drift weighs on all
    alike; each call timed with the flush and the commit of its transaction.
    Appends ms per call to ``times[key]`` and statements to ``sql[key]``."""
    count = len(documents[keys[0]])
    for index in range(count):
        shift = index % len(keys)
        for key in keys[shift:] + keys[:shift]:
            env = envs[key]
            cr = env.cr
            before = cr.sql_log_count
            start = time.perf_counter()
            result = call(documents[key][index])
            env.flush_all()
            cr.commit()
            elapsed = time.perf_counter() - start
            if result not in (True, None):
                common.die(f"{key}: the call returned {result!r} (a wizard?)")
            times[key].append(1000 * elapsed)
            sql[key].append(cr.sql_log_count - before)


def one_round(envs, subjects, args, names, keys):
    """Confirm and validate ``args.receipts`` receipts per variant; per
    variant the ms and statement counts of each confirmation and validation."""
    orders = {
        key: create_orders(envs[key], *subjects[key], args.receipts, args)
        for key in keys
    }
    out = {
        step: ({key: [] for key in keys}, {key: [] for key in keys})
        for step in ("confirm", "validate")
    }
    timed_turns(
        envs,
        orders,
        lambda order: order.button_confirm(),
        keys,
        *out["confirm"],
    )
    receipts = {}
    lot_names = {}
    for key in keys:
        env = envs[key]
        pickings = orders[key].with_env(env).picking_ids
        for picking in pickings:
            lot_names[picking.id, key] = names.take(args.lots)
            fill_receipt(env, picking, lot_names[picking.id, key], args.lot_qty)
        receipts[key] = pickings
        env.cr.commit()
    timed_turns(
        envs,
        receipts,
        lambda picking: picking.button_validate(),
        keys,
        *out["validate"],
    )
    for key in keys:
        check_inspections(envs[key], key, receipts[key], lot_names, args)
    return out


def check_inspections(env, key, receipts, lot_names, args):
    """Each receipt done, with one inspection per lot, of the lot's quantity,
    with the test's questions; made by OCA in (a), (a'), by meddev in (b)."""
    if set(receipts.mapped("state")) != {"done"}:
        common.die(f"{key}: receipts not validated")
    Inspection = env["qc.inspection"].sudo()
    if key == "odoo":
        if Inspection.search_count([("picking_id", "in", receipts.ids)]):
            common.die(f"{key}: inspections made")
        return
    for picking in receipts:
        inspections = Inspection.search([("picking_id", "=", picking.id)])
        lots = sorted(inspections.mapped("lot_id.name"))
        if lots != sorted(lot_names[picking.id, key]) or len(inspections) != args.lots:
            common.die(
                f"{key}: {picking.name} has {len(inspections)} inspections of "
                f"{len(lots)} lots, expected {args.lots}"
            )
        if set(inspections.mapped("qty")) != {float(args.lot_qty)}:
            common.die(f"{key}: inspection quantities {set(inspections.mapped('qty'))}")
        questions = {len(i.inspection_lines) for i in inspections}
        if questions != {len(QUESTIONS)}:
            common.die(f"{key}: questions per inspection {questions}")
        if set(inspections.mapped("state")) != {"ready"}:
            common.die(f"{key}: inspection states {set(inspections.mapped('state'))}")
        if "meddev_plan_id" in inspections._fields:
            planned = inspections.filtered("meddev_plan_id")
            expected = inspections if key == "meddev" else Inspection
            if planned != expected:
                common.die(f"{key}: {len(planned)} inspections of a sampling plan")
            destinations = picking.move_line_ids.location_dest_id
            held = all(destinations.mapped("meddev_quarantine"))
            if held != (key == "meddev"):
                common.die(f"{key}: {picking.name} received in quarantine: {held}")


# --------------------------------------------------------------------------
# where the statements and the time go (separate passes)
# --------------------------------------------------------------------------
def prepare_extra(envs, subjects, args, names, keys, count):
    """``count`` confirmed receipts per variant, lines filled, committed."""
    receipts = {}
    for key in keys:
        env = envs[key]
        orders = create_orders(env, *subjects[key], count, args)
        for order in orders:
            order.button_confirm()
        for picking in orders.picking_ids:
            fill_receipt(env, picking, names.take(args.lots), args.lot_qty)
        env.cr.commit()
        receipts[key] = orders.picking_ids
    return receipts


def sql_breakdown(envs, receipts, keys):
    """Statements per validated receipt by verb and table, and their time;
    the slowest statements to bench/.cache/slow_statements_quality.txt."""
    result = {}
    slow_log = []
    for key in keys:
        env = envs[key]
        cr = env.cr
        recorder = common.QueryRecorder(cr._obj)
        cr._obj = recorder
        start = time.perf_counter()
        try:
            for picking in receipts[key]:
                picking.button_validate()
                env.flush_all()
                cr.commit()
        finally:
            cr._obj = recorder._inner
        elapsed = time.perf_counter() - start
        count = len(receipts[key])
        slowest = sorted(recorder.statements, key=lambda item: -item[1])[:10]
        slow_log.append(
            f"== {key}: the slowest statements of {count} validation(s) ==\n"
            + "\n".join(f"{1000 * s:.1f} ms: {text[:600]}" for text, s in slowest)
        )
        heads = {}
        for text, seconds in recorder.statements:
            head = common.statement_head(text)
            n, total = heads.get(head, (0, 0.0))
            heads[head] = (n + 1, total + seconds)
        result[key] = {
            "ms": 1000 * elapsed / count,
            "sql_ms": 1000 * sum(s for _t, s in recorder.statements) / count,
            "statements": len(recorder.statements) / count,
            "heads": {
                head: (n / count, 1000 * total / count)
                for head, (n, total) in sorted(
                    heads.items(), key=lambda item: -item[1][0]
                )
            },
        }
    path = common.CACHE / "slow_statements_quality.txt"
    path.write_text("\n\n".join(slow_log) + "\n", encoding="utf-8")
    return result


def profile(envs, receipts, keys):
    """cProfile of the validations of each variant, to bench/.cache/."""
    result = {}
    for key in keys:
        env = envs[key]
        profiler = cProfile.Profile()
        profiler.enable()
        for picking in receipts[key]:
            picking.button_validate()
            env.flush_all()
            env.cr.commit()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(80)
        path = common.CACHE / f"profile_quality_{key}.txt"
        path.write_text(out.getvalue(), encoding="utf-8")
        result[key] = path
    return result


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def summary(values):
    return {
        "p50": statistics.median(values),
        "p95": percentile(values, 0.95),
        "mean": statistics.fmean(values),
    }


def render(args, info, rounds, breakdown):
    keys = [key for key, _label in VARIANTS]
    every = {
        (key, step): [ms for r in rounds for ms in r[step][0][key]]
        for key in keys
        for step in ("confirm", "validate")
    }
    stats = {pair: summary(values) for pair, values in every.items()}
    sql = {
        (key, step): statistics.fmean(n for r in rounds for n in r[step][1][key])
        for key in keys
        for step in ("confirm", "validate")
    }
    command = "python3 bench/bench_quality.py" + (
        "" if args.default_sizes else " " + " ".join(sys.argv[1:])
    )
    base_v = stats["oca", "validate"]
    base_c = stats["oca", "confirm"]
    ratio = stats["meddev", "validate"]["p50"] / base_v["p50"]
    ratio95 = stats["meddev", "validate"]["p95"] / base_v["p95"]
    same_db = (
        stats["meddev", "validate"]["p50"] / stats["oca_meddev", "validate"]["p50"]
    )
    measured = len(every["oca", "validate"])
    added = {
        key: stats[key, "validate"]["p50"] - stats["odoo", "validate"]["p50"]
        for key in ("oca", "meddev")
    }
    lines = [
        MARK_START,
        "## Lot inspections on receipt (`bench/bench_quality.py`)",
        "",
        f"- command: `{command}` (from the repository root)",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; "
        f"load average {info['load_start']:.2f} at the start, "
        f"{info['load_end']:.2f} at the end (the machine is shared)",
        f"- Odoo {info['odoo']}, PostgreSQL {info['postgres']}, "
        f"Python {info['python']}, OCA quality_control_oca "
        f"{info['qc_versions'][0]}, quality_control_stock_oca "
        f"{info['qc_versions'][1]}",
        "",
        f"Per variant and round {args.receipts} purchase orders of one line, "
        f"{args.lots} lots of {args.lot_qty} units of a lot-tracked product "
        f"from one supplier; {args.rounds} round(s), {measured} receipts per "
        "variant in all, after "
        f"{args.warmup} per variant not measured; both databases vacuumed and "
        "analyzed before each round, untimed (autovacuum is "
        f"{info['autovacuum']} on this cluster; without it Odoo's lot "
        "uniqueness check slows down through the run). (0) is the same "
        "receipt of a "
        "product no trigger names, for scale. The variants take turns "
        "receipt by receipt (their order rotated at each). Each call "
        "(`order.button_confirm()`, `picking.button_validate()` of the full "
        "receipt, the lot lines filled in beforehand with new lot names) is "
        "timed with the flush and the commit of its transaction. Every "
        f"validation but (0)'s makes {args.lots} inspections in `ready` with "
        f"the test's {len(QUESTIONS)} questions, one per lot, checked after "
        "each round. "
        "(0) and (a) run in a database with the same Odoo and OCA modules as the "
        "meddev database and no meddev module: "
        f"{info['oca_modules']}. (a') and (b) run in the meddev database "
        f"(those plus {MODULES} and its meddev dependencies); in (a') no "
        "sampling plan applies to the product (meddev makes no inspection and "
        "does not route to quarantine; checked), in (b) there is no OCA "
        "trigger line for the product (OCA makes none; checked).",
        "",
        "| variant | validate p50 ms | p95 ms | mean ms | × (a) p50 | SQL/receipt "
        "| confirm p50 ms | × (a) | SQL/order |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in VARIANTS:
        v = stats[key, "validate"]
        c = stats[key, "confirm"]
        lines.append(
            f"| {label} | {v['p50']:.1f} | {v['p95']:.1f} | {v['mean']:.1f} "
            f"| {v['p50'] / base_v['p50']:.3f} | {sql[key, 'validate']:.1f} "
            f"| {c['p50']:.1f} | {c['p50'] / base_c['p50']:.3f} "
            f"| {sql[key, 'confirm']:.1f} |"
        )
    lines += [
        "",
        f"Target (issue): (b) ≤ 1.15 × (a) on validation. Measured: **{ratio:.3f} ×** "
        f"at the median, {ratio95:.3f} × at p95; (b) / (a') in the same database "
        f"{same_db:.3f} ×. What making the {args.lots} inspections adds to "
        "Odoo's own validation (p50 minus (0)): OCA "
        f"{added['oca']:.0f} ms, meddev {added['meddev']:.0f} ms "
        f"({added['meddev'] / added['oca']:.2f} ×).",
        "",
        "Each round's median ms per receipt (validate): "
        + "; ".join(
            f"{key} "
            + ", ".join(
                f"{statistics.median(r['validate'][0][key]):.1f}" for r in rounds
            )
            for key in keys
        )
        + ".",
    ]
    if breakdown:
        count = args.breakdown
        lines += [
            "",
            "### Where the statements of a validation go (separate pass)",
            "",
            f"{count} receipt(s) per variant validated with each SQL statement "
            "timed at the driver (psycopg2 `execute`, round trip included); "
            "statements per receipt by verb and table, the most frequent first "
            "(count, ms).",
            "",
            "| variant | ms/receipt | in SQL | statements/receipt |",
            "| --- | ---: | ---: | ---: |",
        ]
        for key, label in VARIANTS:
            b = breakdown[key]
            lines.append(
                f"| {label} | {b['ms']:.1f} | {b['sql_ms']:.1f} "
                f"| {b['statements']:.1f} |"
            )
        lines.append("")
        for key, label in VARIANTS:
            heads = list(breakdown[key]["heads"].items())[:14]
            lines.append(
                f"- {label}: "
                + "; ".join(f"`{h}` {n:.1f} ({ms:.1f})" for h, (n, ms) in heads)
            )
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="mdd_bench_quality",
        help="the meddev database; the one without meddev is <db>_oca",
    )
    parser.add_argument("--receipts", type=int, default=8, help="per variant, round")
    parser.add_argument("--lots", type=int, default=50, help="lots per receipt")
    parser.add_argument("--lot-qty", type=int, default=500, help="units per lot")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--warmup", type=int, default=2, help="receipts per variant, not measured"
    )
    parser.add_argument(
        "--breakdown",
        type=int,
        default=2,
        help="receipts per variant of the SQL breakdown (0: none)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="receipts per variant validated under cProfile (bench/.cache/)",
    )
    parser.add_argument("--results", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the existing databases instead of re-creating them",
    )
    args = parser.parse_args(argv)
    args.default_sizes = not argv
    return args


def vacuum(*dbs):
    """VACUUM (ANALYZE) the databases, untimed, as autovacuum would between
    the rounds (it may be off on a test cluster): without it the planner of
    the fresh tables picks Odoo's trigram index of the lot names for the
    lot uniqueness check, whose GIN pending list grows with every receipt,
    and Odoo's own validation slows down round after round."""
    for db in dbs:
        conn = common.pg_connect(db)
        try:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute("VACUUM (ANALYZE)")
        finally:
            conn.close()


def installed_modules(db):
    conn = common.pg_connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name, latest_version FROM ir_module_module "
                "WHERE state = 'installed' ORDER BY name"
            )
            return dict(cr.fetchall())
    finally:
        conn.close()


def leaf_modules(db):
    """The installed modules no other installed module depends on."""
    conn = common.pg_connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute(
                """
                SELECT m.name FROM ir_module_module m
                 WHERE m.state = 'installed' AND NOT EXISTS (
                       SELECT 1 FROM ir_module_module_dependency d
                         JOIN ir_module_module o ON o.id = d.module_id
                        WHERE d.name = m.name AND o.state = 'installed')
                 ORDER BY m.name
                """
            )
            return [name for (name,) in cr.fetchall()]
    finally:
        conn.close()


def setup_databases(args):
    """The meddev database first; then the database without meddev, with
    the non-meddev modules installed in the first."""
    oca_db = f"{args.db}_oca"
    if not (args.reuse_db and common.db_exists(args.db) and common.db_exists(oca_db)):
        common.drop_db(args.db)
        common.drop_db(oca_db)
        common.install_db(args.db, MODULES)
        others = sorted(m for m in installed_modules(args.db) if "meddev" not in m)
        common.install_db(oca_db, ",".join(others))
    meddev_mods = installed_modules(args.db)
    oca_mods = installed_modules(oca_db)
    others = {m for m in meddev_mods if "meddev" not in m}
    if set(oca_mods) != others:
        common.die(
            "the database without meddev differs from the meddev database "
            f"minus meddev: {sorted(set(oca_mods) ^ others)}"
        )
    return oca_db, oca_mods


def main(argv):
    args = parse_args(argv)
    load_start = common.check_platform()
    from odoo.modules.registry import Registry

    oca_db, oca_mods = setup_databases(args)
    registry = common.odoo_setup(args.db)
    oca_registry = Registry(oca_db)
    keys = [key for key, _label in VARIANTS]
    rounds = []
    breakdown = None
    try:
        with registry.cursor() as cr, oca_registry.cursor() as oca_cr:
            env = common.admin_env(cr)
            oca_env = common.admin_env(oca_cr)
            envs = {"odoo": oca_env, "oca": oca_env, "oca_meddev": env, "meddev": env}
            info = common.machine_info(env)
            info["date"] = (
                datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
            )
            cr.execute("SHOW autovacuum")
            info["autovacuum"] = cr.fetchone()[0]
            info["qc_versions"] = (
                oca_mods.get("quality_control_oca"),
                oca_mods.get("quality_control_stock_oca"),
            )
            info["oca_modules"] = ", ".join(leaf_modules(oca_db))
            subjects, _test = setup_oca(oca_env)
            more, _test = setup_meddev(env)
            subjects.update(more)
            names = LotNames()
            vacuum(args.db, oca_db)
            if args.warmup:
                common.say(f"warm-up: {args.warmup} receipts per variant")
                warm = argparse.Namespace(**{**vars(args), "receipts": args.warmup})
                one_round(envs, subjects, warm, names, keys)
            for index in range(args.rounds):
                vacuum(args.db, oca_db)
                common.say(f"round {index + 1}/{args.rounds}")
                rounds.append(one_round(envs, subjects, args, names, keys))
            if args.breakdown:
                vacuum(args.db, oca_db)
                common.say("SQL breakdown")
                extra = prepare_extra(envs, subjects, args, names, keys, args.breakdown)
                breakdown = sql_breakdown(envs, extra, keys)
            if args.profile:
                vacuum(args.db, oca_db)
                common.say("cProfile")
                extra = prepare_extra(envs, subjects, args, names, keys, args.profile)
                for key, path in profile(envs, extra, keys).items():
                    common.say(f"profile of {key}: {path}")
    finally:
        if not args.keep_db:
            common.close_and_drop(oca_db)
            common.close_and_drop(args.db)
    info["load_start"] = load_start
    info["load_end"] = os.getloadavg()[0]
    common.write_results(
        args.results, render(args, info, rounds, breakdown), MARK_START, MARK_END
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
