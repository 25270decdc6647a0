#!/usr/bin/env python3
"""Outsourcing jobs: what meddev_outsourcing adds to Odoo's subcontracting
purchase order confirmation, and what the supplier portal's job list costs
under its record rules.

Usage (from the repository root)::

    python3 bench/bench_outsourcing.py                 # full sizes, writes RESULTS.md
    python3 bench/bench_outsourcing.py --orders 10 --rounds 1 --jobs 5000 \\
        --suppliers 50 --calls 50 --results /tmp/smoke.md

It creates a fresh database (``mdd_bench_outsourcing`` unless ``--db``) with
``meddev_outsourcing`` and no demo data, then:

- (a) confirms ``--orders`` subcontracting purchase orders per variant and
  round, the variants taking turns order by order: Odoo alone (the product's
  subcontracting BoM names no outsourced process: no job) and with the job
  (the same order for a product whose BoM names one: the job is created, its
  specification looked up, its receipt routed to quarantine);
- (b) bulk-inserts ``--jobs`` outsourcing jobs of ``--suppliers`` suppliers
  (SQL), and times the supplier portal's job list (``search_read`` of the
  list's fields, 80 rows, and ``search_count`` for the pager) as portal users
  of several suppliers, under the record rules, against the same calls as an
  internal user without record rules (superuser mode, the supplier in the
  domain), the variants taking turns call by call.

The database is dropped at the end unless ``--keep-db``. Nothing here fails
on speed: the numbers are ratios to read, never a test.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_audit as common  # noqa: E402  (the audit benchmark's helpers)
from bench_supplier import interleaved  # noqa: E402

MARK_START = "<!-- bench_outsourcing:start -->"
MARK_END = "<!-- bench_outsourcing:end -->"
MODULES = "meddev_outsourcing"
VARIANTS = (
    ("odoo", "(a) Odoo alone: BoM without outsourced process, no job"),
    ("job", "(b) with the outsourcing job: BoM naming the process"),
)
# the columns of the supplier's job list
LIST_FIELDS = [
    "name",
    "product_id",
    "product_qty",
    "product_uom_id",
    "state",
    "date_planned_return",
    "spec_id",
    "deviating",
]
LIST_LIMIT = 80
JOB_STATES = ("draft", "sent", "acknowledged", "in_process", "returned", "released")


# --------------------------------------------------------------------------
# (a) purchase order confirmation
# --------------------------------------------------------------------------
def setup_orders(env):
    """A supplier qualified for CNC machining; a component in stock; two
    subcontracted products, one whose BoM names the process (with its
    effective specification), one whose BoM names none."""
    scope = env.ref("meddev_supplier.scope_cnc_machining")
    supplier = env["res.partner"].create(
        {"name": "Bench Precision Machining", "is_company": True}
    )
    # the approved supplier list entry, as the QA manager's approval leaves it
    env["meddev.supplier.qualification"].sudo().create(
        {
            "partner_id": supplier.id,
            "scope_id": scope.id,
            "risk_class": "B",
            "state": "qualified",
            "last_evaluation_date": datetime.date.today(),
        }
    )
    Product = env["product.product"]
    blank = Product.create({"name": "Bench bar blank", "is_storable": True})
    warehouse = env["stock.warehouse"].search([], limit=1)
    env["stock.quant"]._update_available_quantity(blank, warehouse.lot_stock_id, 1e7)
    products = {}
    for key, bom_scope in (("odoo", False), ("job", scope)):
        product = Product.create({"name": f"Bench screw ({key})", "is_storable": True})
        env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "type": "subcontract",
                "subcontractor_ids": [(6, 0, supplier.ids)],
                "meddev_scope_id": bom_scope and bom_scope.id,
                "bom_line_ids": [(0, 0, {"product_id": blank.id, "product_qty": 1})],
            }
        )
        products[key] = product
    make_spec_effective(env, products["job"], scope)
    env.cr.commit()
    return supplier, products


def make_spec_effective(env, product, scope):
    # bench set-up as the superuser: the administrator holds no QA role
    spec = (
        env["meddev.process.spec"]
        .sudo()
        .create(
            {
                "name": "Bench machining",
                "code": "PS-BENCH-001",
                "product_tmpl_id": product.product_tmpl_id.id,
                "scope_id": scope.id,
                "parameter_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Thread OD",
                            "uom": "mm",
                            "has_upper": True,
                            "upper_limit": 4.55,
                        },
                    )
                ],
            }
        )
    )
    # set up as the QA manager's signature leaves it (the signature is not
    # what is measured)
    env.cr.execute(
        "UPDATE meddev_process_spec SET state = 'effective' WHERE id = %s", [spec.id]
    )
    spec.invalidate_recordset(["state"])


def create_orders(env, supplier, product, count):
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
                            "product_qty": 100,
                            "price_unit": 1.0,
                        },
                    )
                ],
            }
            for _i in range(count)
        ]
    )
    env.cr.commit()
    return orders


def confirm_round(env, args, supplier, products):
    keys = [key for key, _label in VARIANTS]
    orders = {
        key: create_orders(env, supplier, products[key], args.orders) for key in keys
    }
    confirm = {key: type(orders[key]).button_confirm for key in keys}
    result = interleaved(env, orders, confirm, keys, args.commit_every)
    jobs = env["meddev.outsourcing.job"].search_count(
        [("purchase_id", "in", orders["job"].ids)]
    )
    plain = env["meddev.outsourcing.job"].search_count(
        [("purchase_id", "in", orders["odoo"].ids)]
    )
    if jobs != args.orders or plain:
        common.die(f"expected {args.orders} jobs and none, found {jobs} and {plain}")
    return result


# --------------------------------------------------------------------------
# (b) the supplier portal's job list
# --------------------------------------------------------------------------
def setup_jobs(env, args):
    """``--suppliers`` suppliers, ``--jobs`` jobs spread over them (SQL), and
    a portal user for each of the first ``--portal-users`` suppliers."""
    from odoo.tools import SQL

    suppliers = env["res.partner"].create(
        [
            {"name": f"Bench supplier {i:03d}", "is_company": True}
            for i in range(args.suppliers)
        ]
    )
    product = env["product.product"].create({"name": "Bench sterile syringe"})
    scope = env.ref("meddev_supplier.scope_eo_sterilization")
    env.cr.execute(
        SQL(
            """
            INSERT INTO meddev_outsourcing_job
                (name, partner_id, meddev_supplier_id, company_id, scope_id,
                 product_id, state, risk_class, product_qty, date_sent,
                 date_planned_return, create_uid, write_uid, create_date, write_date)
            SELECT 'OJ/BENCH/' || lpad(n::text, 6, '0'),
                   s.ids[1 + mod(n, %(count)s)], s.ids[1 + mod(n, %(count)s)],
                   %(company)s, %(scope)s, %(product)s,
                   (%(states)s::varchar[])[1 + mod(n, %(nstates)s)], 'B', 1000,
                   now() - mod(n, 365) * interval '1 day',
                   now() - mod(n, 365) * interval '1 day' + interval '14 days',
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(jobs)s) n,
                   (SELECT %(ids)s::int[] AS ids) s
            """,
            count=len(suppliers),
            ids=suppliers.ids,
            company=env.company.id,
            scope=scope.id,
            product=product.id,
            states=list(JOB_STATES),
            nstates=len(JOB_STATES),
            uid=env.uid,
            jobs=args.jobs,
        )
    )
    env.cr.execute("ANALYZE meddev_outsourcing_job")
    portal_group = env.ref("meddev_base.group_meddev_supplier_portal")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench portal {supplier.name}",
                "login": f"bench_portal_{index}",
                "partner_id": env["res.partner"]
                .create({"name": f"QA of {supplier.name}", "parent_id": supplier.id})
                .id,
                "groups_id": [
                    (6, 0, [env.ref("base.group_portal").id, portal_group.id])
                ],
            }
            for index, supplier in enumerate(suppliers[: args.portal_users])
        ]
    )
    env.cr.commit()
    return users


def portal_list(env, user):
    Job = env["meddev.outsourcing.job"].with_user(user)
    Job.search_read([], LIST_FIELDS, limit=LIST_LIMIT)
    Job.search_count([])


def internal_list(env, user):
    # superuser mode: the reference is the same list without record rules
    Job = env["meddev.outsourcing.job"].sudo()
    domain = [("meddev_supplier_id", "=", user.commercial_partner_id.id)]
    Job.search_read(domain, LIST_FIELDS, limit=LIST_LIMIT)
    Job.search_count(domain)


def bench_list(env, args, users):
    """ms per list call, the variants taking turns call by call, the cache
    emptied before each call; every call's time kept for the percentiles."""
    calls = {"portal": portal_list, "internal": internal_list}
    times = {key: [] for key in calls}
    rows = {}
    for index in range(args.calls + args.warmup):
        user = users[index % len(users)]
        keys = list(calls) if index % 2 else list(reversed(calls))
        for key in keys:
            env.invalidate_all()
            start = time.perf_counter()
            calls[key](env, user)
            elapsed = time.perf_counter() - start
            if index >= args.warmup:
                times[key].append(1000 * elapsed)
    # both see the same rows (the reference in superuser mode, as above)
    for key in calls:
        Job = env["meddev.outsourcing.job"]
        rows[key] = (
            Job.with_user(users[0]).search([], limit=LIST_LIMIT).ids
            if key == "portal"
            else Job.sudo()
            .search(
                [("meddev_supplier_id", "=", users[0].commercial_partner_id.id)],
                limit=LIST_LIMIT,
            )
            .ids
        )
    if rows["portal"] != rows["internal"]:
        common.die("the portal list and the internal list differ")
    return {key: summary(values) for key, values in times.items()}


def summary(values):
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, int(round(0.95 * len(ordered))) - 1)],
        "mean": statistics.fmean(ordered),
    }


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
def render(args, info, rounds, listing):
    keys = [key for key, _label in VARIANTS]
    median = {
        key: {
            what: statistics.median(r[key][what] for r in rounds)
            for what in ("ms", "sql")
        }
        for key in keys
    }
    command = "python3 bench/bench_outsourcing.py" + (
        "" if args.default_sizes else " " + " ".join(sys.argv[1:])
    )
    base = median["odoo"]["ms"]
    ratio = median["job"]["ms"] / base
    p95 = listing["portal"]["p95"] / listing["internal"]["p95"]
    lines = [
        MARK_START,
        "## Outsourcing jobs (`bench/bench_outsourcing.py`)",
        "",
        f"- command: `{command}` (from the repository root)",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; "
        f"load average {info['load_start']:.2f} at the start, "
        f"{info['load_end']:.2f} at the end (the machine is shared)",
        f"- Odoo {info['odoo']}, PostgreSQL {info['postgres']}, "
        f"Python {info['python']}",
        "",
        "### Subcontracting purchase order confirmation",
        "",
        f"{args.orders} one-line subcontracting purchase orders per variant and "
        f"round, {args.rounds} round(s), median of the rounds; the variants take "
        "turns order by order. `order.button_confirm()` (receipt, subcontract "
        "order, and in (b) the outsourcing job, its specification and the "
        "receipt routed to quarantine), timed with the flush of its writes; "
        f"{args.warmup} orders per variant first, not measured.",
        "",
        "| variant | confirm ms/order | × (a) | SQL/order |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label in VARIANTS:
        lines.append(
            f"| {label} | {median[key]['ms']:.2f} | {median[key]['ms'] / base:.3f} "
            f"| {median[key]['sql']:.1f} |"
        )
    lines += [
        "",
        f"Target ≤ 1.10 × (a). Measured: **{ratio:.3f} ×**. Each round's ms per "
        "order: "
        + "; ".join(
            f"{key} " + ", ".join(f"{r[key]['ms']:.2f}" for r in rounds) for key in keys
        )
        + ".",
        "",
        "### The supplier portal's job list",
        "",
        f"{args.jobs} jobs of {args.suppliers} suppliers (bulk-inserted with SQL), "
        f"portal users of {args.portal_users} of them taking turns; one list call "
        f"= `search_read` of {len(LIST_FIELDS)} list fields, {LIST_LIMIT} rows, "
        "and `search_count` for the pager, the cache emptied before each. "
        "Portal: as the supplier's portal user, under the record rules (its "
        "supplier's jobs, the company). Internal: the same calls in superuser "
        "mode (no record rules) with the supplier in the domain. "
        f"{args.calls} calls per variant, turn by turn, after {args.warmup} "
        "not measured.",
        "",
        "| variant | p50 ms | p95 ms | mean ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key in ("internal", "portal"):
        s = listing[key]
        lines.append(f"| {key} | {s['p50']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} |")
    lines += [
        "",
        f"Target p95 ≤ 1.3 × internal. Measured: **{p95:.3f} ×** (p50 "
        f"{listing['portal']['p50'] / listing['internal']['p50']:.3f} ×).",
        MARK_END,
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="mdd_bench_outsourcing")
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--commit-every", type=int, default=20)
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="orders (list calls) per variant, not measured",
    )
    parser.add_argument("--jobs", type=int, default=100000)
    parser.add_argument("--suppliers", type=int, default=500)
    parser.add_argument("--portal-users", type=int, default=10)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--results", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    args.default_sizes = not argv
    return args


def run(registry, args):
    with registry.cursor() as cr:
        env = common.admin_env(cr)
        info = common.machine_info(env)
        info["date"] = (
            datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        )
        supplier, products = setup_orders(env)
        if args.warmup:
            common.say(f"warm-up: {args.warmup} orders per variant")
            confirm_round(
                env,
                argparse.Namespace(**{**vars(args), "orders": args.warmup}),
                supplier,
                products,
            )
        rounds = []
        for index in range(args.rounds):
            common.say(f"confirmation round {index + 1}/{args.rounds}")
            rounds.append(confirm_round(env, args, supplier, products))
        common.say(f"inserting {args.jobs} jobs of {args.suppliers} suppliers")
        users = setup_jobs(env, args)
        common.say(f"portal list: {args.calls} calls per variant")
        listing = bench_list(env, args, users)
    return info, rounds, listing


def main(argv):
    args = parse_args(argv)
    load_start = common.check_platform()
    common.drop_db(args.db)
    common.install_db(args.db, MODULES)
    registry = common.odoo_setup(args.db)
    try:
        info, rounds, listing = run(registry, args)
    finally:
        if not args.keep_db:
            common.close_and_drop(args.db)
    info["load_start"] = load_start
    info["load_end"] = os.getloadavg()[0]
    common.write_results(
        args.results, render(args, info, rounds, listing), MARK_START, MARK_END
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
