#!/usr/bin/env python3
"""Exception escalation and the quality dashboard at scale: the escalation
cron of meddev_quality over many open exceptions (goal: 5 s for 100 000, and
a number of statements that does not grow with them), and the dashboard's
counts at that size (goal: 300 ms).

Usage (from the repository root)::

    python3 bench/bench_escalation.py                  # full sizes, writes RESULTS.md
    python3 bench/bench_escalation.py --sizes 500,5000 --rounds 1 \\
        --results /tmp/smoke.md                        # a quick smoke run

It creates a fresh database (``mdd_bench_escalation`` unless ``--db``) with
``meddev_quality`` and no demo data, 3 QA managers and 1 management
representative, 5 owners, 50 suppliers and 20 products, then for each size
of ``--sizes`` bulk-inserts open exceptions (SQL) up to that size: grades
critical / major / minor in turn, recorded over the last 100 days (so past
their deadlines by anything from nothing to weeks), one in three confirmed
(contained), one in ten without owner, deadlines from the shipped policies.

- (a) the escalation cron (``_meddev_escalate``) from no escalation at all:
  every overdue exception escalated, one escalation per level crossed, an
  activity per person told, a chatter note and inbox notifications; timed
  with its flush and commit, statements counted (``cr.sql_log_count``);
  rolled back after each round so that every round does the same work;
- (b) the next run right after (a) in the same transaction: nothing new to
  escalate (what the hourly cron costs on a quiet day);
- (c) at the largest size, after one escalation committed: the dashboard's
  counts (``read_group`` of ``meddev.quality.event.analysis`` as the
  administrator, record rules applied): open events by grade × age bucket
  with the overdue and escalated counts, and the Pareto groupings by type,
  supplier and product.

The database is dropped at the end unless ``--keep-db``. Nothing here fails
on speed: the numbers are read, never a test.
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
from bench_quality import vacuum  # noqa: E402

MARK_START = "<!-- bench_escalation:start -->"
MARK_END = "<!-- bench_escalation:end -->"
MODULES = "meddev_quality"
DASHBOARD = (
    ("grade × age bucket", ["grade", "age_bucket"]),
    ("Pareto by type", ["type_id"]),
    ("Pareto by supplier", ["partner_id"]),
    ("Pareto by product", ["product_id"]),
)


# --------------------------------------------------------------------------
# set-up
# --------------------------------------------------------------------------
def setup(env):
    """Recipients, owners, suppliers, products; the shipped process
    deviation type."""
    import odoo.fields
    from odoo import Command

    def users(prefix, count, group):
        return env["res.users"].create(
            [
                {
                    "name": f"Bench {prefix} {index}",
                    "login": f"bench_{prefix}_{index}",
                    "groups_id": [Command.set([env.ref(group).id])],
                }
                for index in range(count)
            ]
        )

    users("qa_manager", 3, "meddev_base.group_meddev_qa_manager")
    users("director", 1, "meddev_base.group_meddev_quality_director")
    owners = users("owner", 5, "meddev_base.group_meddev_qa_engineer")
    suppliers = env["res.partner"].create(
        [{"name": f"Bench supplier {i:03d}", "is_company": True} for i in range(50)]
    )
    products = env["product.product"].create(
        [{"name": f"Bench product {i:03d}"} for i in range(20)]
    )
    kind = env.ref("meddev_quality.nonconformance_type_process_deviation")
    # Odoo's caches (xml ids, model ids) warm, as in a running server
    env["meddev.nonconformance"]._meddev_escalation_notify_query(
        [0], odoo.fields.Datetime.now()
    )
    env.cr.commit()
    return {
        "owners": owners.ids,
        "suppliers": suppliers.ids,
        "products": products.ids,
        "type": kind.id,
    }


def insert_exceptions(env, ctx, first, last):
    """Open exceptions numbered ``first`` to ``last`` (SQL): grades in turn,
    recorded over the last 100 days, deadlines from the shared policies."""
    from odoo.tools import SQL

    env.cr.execute(
        SQL(
            """
            INSERT INTO meddev_nonconformance
                (name, company_id, state, type_id, source, description,
                 occurred_on, detected_by_id, severity, occurrence, grade_matrix,
                 grade, partner_id, product_id, user_id, containment_deadline,
                 closure_deadline, containment_done_on, confirmed_on,
                 escalation_level, create_uid, write_uid, create_date, write_date)
            SELECT 'EXC/BENCH/' || lpad(n::text, 6, '0'), %(company)s,
                   CASE WHEN mod(n, 3) = 0 THEN 'open' ELSE 'new' END,
                   %(type)s, 'manual', 'Bench deviation', d.recorded, %(uid)s,
                   g.severity, g.occurrence, g.grade, g.grade,
                   (%(suppliers)s::int[])[1 + mod(n, %(nsuppliers)s)],
                   (%(products)s::int[])[1 + mod(n, %(nproducts)s)],
                   CASE WHEN mod(n, 10) = 0 THEN NULL
                        ELSE (%(owners)s::int[])[1 + mod(n, %(nowners)s)] END,
                   d.recorded + make_interval(hours => p.containment_hours),
                   d.recorded + make_interval(days => p.closure_days),
                   CASE WHEN mod(n, 3) = 0 THEN d.recorded + interval '1 hour' END,
                   CASE WHEN mod(n, 3) = 0 THEN d.recorded + interval '1 hour' END,
                   0, %(uid)s, %(uid)s, d.recorded, d.recorded
              FROM generate_series(%(first)s, %(last)s) n
             CROSS JOIN LATERAL (
                   SELECT (now() AT TIME ZONE 'UTC')
                          - make_interval(mins => mod(n * 37, 144000)) AS recorded) d
             CROSS JOIN LATERAL (
                   SELECT (ARRAY['critical', 'major', 'minor'])[1 + mod(n, 3)] AS grade,
                          (ARRAY['5', '3', '1'])[1 + mod(n, 3)] AS severity,
                          (ARRAY['5', '3', '1'])[1 + mod(n, 3)] AS occurrence) g
              JOIN meddev_nonconformance_policy p
                ON p.grade = g.grade AND p.company_id IS NULL
            """,
            company=env.company.id,
            type=ctx["type"],
            uid=env.uid,
            suppliers=ctx["suppliers"],
            nsuppliers=len(ctx["suppliers"]),
            products=ctx["products"],
            nproducts=len(ctx["products"]),
            owners=ctx["owners"],
            nowners=len(ctx["owners"]),
            first=first,
            last=last,
        )
    )
    env.cr.commit()


# --------------------------------------------------------------------------
# measures
# --------------------------------------------------------------------------
def counted(env, call):
    """(seconds, statements, result) of ``call()`` with its flush (the
    caller commits or rolls back)."""
    cr = env.cr
    start_count = cr.sql_log_count
    start = time.perf_counter()
    result = call()
    env.flush_all()
    seconds = time.perf_counter() - start
    return seconds, cr.sql_log_count - start_count, result


def side_effects(env):
    """Rows the escalation wrote: escalations, activities, notes, inbox
    notifications."""
    env.cr.execute(
        """SELECT (SELECT count(*) FROM meddev_nonconformance_escalation),
                  (SELECT count(*) FROM mail_activity
                    WHERE res_model = 'meddev.nonconformance'),
                  (SELECT count(*) FROM mail_message
                    WHERE model = 'meddev.nonconformance'),
                  (SELECT count(*) FROM mail_notification n
                     JOIN mail_message m ON m.id = n.mail_message_id
                    WHERE m.model = 'meddev.nonconformance')"""
    )
    return env.cr.fetchone()


def timed_run(registry, now, commit=False, then=None, limit=None):
    """One escalation run at ``now`` (and, if ``then``, a second right after
    at ``then``), timed; rolled back unless ``commit``. ((s, statements,
    rows written), second run's (s, statements, escalations) or None)."""
    with registry.cursor() as cr:
        env = common.admin_env(cr)
        NC = env["meddev.nonconformance"]
        before = side_effects(env)
        seconds, statements, _events = counted(
            env, lambda: NC._meddev_escalate(now=now, limit=limit)
        )
        rows = tuple(b - a for a, b in zip(before, side_effects(env), strict=True))
        second = None
        if then:
            s2, n2, events2 = counted(env, lambda: NC._meddev_escalate(now=then))
            second = (s2, n2, len(events2))
        if commit:
            cr.commit()
        else:
            cr.rollback()
    return (seconds, statements, rows), second


def bench_size(registry, args, size):
    """(a) the backlog run, (b) after it is committed the hourly run an hour
    later, (c) right after, the run with nothing new."""
    import odoo.fields

    now = odoo.fields.Datetime.now()
    hour = datetime.timedelta(hours=1)
    backlog = [timed_run(registry, now)[0] for _index in range(args.rounds)]
    batch = [
        timed_run(registry, now, limit=args.batch)[0] for _index in range(args.rounds)
    ]
    timed_run(registry, now, commit=True)
    hourly, quiet = [], []
    for _index in range(args.rounds):
        first, second = timed_run(registry, now + hour, then=now + hour)
        hourly.append(first)
        quiet.append(second)
    return {
        "size": size,
        "backlog": backlog,
        "batch": batch,
        "hourly": hourly,
        "quiet": quiet,
    }


def bench_dashboard(registry, args):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT escalation_level, count(*) FROM meddev_nonconformance "
            "GROUP BY 1 ORDER BY 1"
        )
        levels = cr.fetchall()
    vacuum(args.db)
    results = []
    with registry.cursor() as cr:
        env = common.admin_env(cr)
        Analysis = env["meddev.quality.event.analysis"]
        for label, groupby in DASHBOARD:
            times, groups = [], None
            for _index in range(args.calls):
                env.invalidate_all()
                start = time.perf_counter()
                groups = Analysis.read_group(
                    [("status", "=", "open")],
                    ["event_count:sum", "overdue_count:sum", "escalated_count:sum"],
                    groupby,
                    lazy=False,
                    orderby="event_count desc",
                )
                times.append((time.perf_counter() - start) * 1000)
            total = sum(g["event_count"] for g in groups)
            results.append((label, times, len(groups), total))
    return levels, results


def run(registry, args):
    with registry.cursor() as cr:
        env = common.admin_env(cr)
        info = common.machine_info(env)
        info["date"] = (
            datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        )
        ctx = setup(env)
    sizes, done = [], 0
    for size in args.sizes:
        with registry.cursor() as cr:
            common.say(f"inserting exceptions {done + 1}..{size}")
            insert_exceptions(common.admin_env(cr), ctx, done + 1, size)
        done = size
        vacuum(args.db)
        common.say(f"escalation cron over {size} open exceptions")
        sizes.append(bench_size(registry, args, size))
    common.say("dashboard counts")
    levels, dashboard = bench_dashboard(registry, args)
    return info, sizes, levels, dashboard


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
def render(args, info, sizes, levels, dashboard):
    command = "python3 bench/bench_escalation.py" + (
        "" if args.default_sizes else " " + " ".join(sys.argv[1:])
    )
    largest = sizes[-1]
    lines = [
        MARK_START,
        "## Exception escalation and quality dashboard (bench_escalation.py)",
        "",
        f"`{command}` — {info['date']}; {info['cpu']} ({info['nproc']} CPUs "
        f"available, shared), {info['memory']}; Odoo {info['odoo']}, "
        f"PostgreSQL {info['postgres']}; load {info['load_start']:.2f} → "
        f"{info['load_end']:.2f}; median of {args.rounds} round(s).",
        "",
        "Escalation cron (`_meddev_escalate`) over the open exceptions: (a) the "
        "backlog, nothing escalated before (rolled back), in one transaction "
        "and (a') as the cron does it, its first batch of the exceptions with "
        "the oldest deadlines (each batch its own transaction); (b) the hourly run, "
        "an hour after a committed run; (c) the run right after (b), nothing "
        "new. Rows: escalations / activities / chatter notes / inbox "
        "notifications written. Goal: ≤ 5 s at 100 000 open exceptions and a "
        "number of statements that does not grow with them.",
        "",
        "| open exceptions | run | s | statements | rows written |",
        "|---:|---|---:|---:|---|",
    ]
    for row in sizes:
        for key, label in (
            ("backlog", "(a) backlog, all at once"),
            ("batch", f"(a') backlog, the cron's first batch ({args.batch:,})"),
            ("hourly", "(b) hourly"),
        ):
            runs = row[key]
            rows = " / ".join(f"{n:,}" for n in runs[0][2])
            lines.append(
                f"| {row['size']:,} | {label} "
                f"| {statistics.median(r[0] for r in runs):.2f} "
                f"| {runs[0][1]} | {rows} |"
            )
        quiet = row["quiet"]
        lines.append(
            f"| {row['size']:,} | (c) nothing new "
            f"| {statistics.median(q[0] for q in quiet):.2f} | {quiet[0][1]} "
            f"| {quiet[0][2]} escalations |"
        )
    lines += [
        "",
        f"Levels after the committed run at {largest['size']:,}: "
        + ", ".join(f"level {lvl}: {n:,}" for lvl, n in levels)
        + ".",
        "",
        f"Dashboard counts at {largest['size']:,} exceptions "
        f"({args.calls} calls each, goal ≤ 300 ms):",
        "",
        "| query | groups | open events | median ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, times, groups, total in dashboard:
        lines.append(
            f"| {label} | {groups} | {total:,} | {statistics.median(times):.0f} "
            f"| {max(times):.0f} |"
        )
    lines += ["", MARK_END]
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="mdd_bench_escalation")
    parser.add_argument(
        "--sizes",
        default="1000,100000",
        help="numbers of open exceptions, increasing, comma-separated",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--batch", type=int, default=10000, help="exceptions per cron batch (a')"
    )
    parser.add_argument("--calls", type=int, default=5, help="per dashboard query")
    parser.add_argument("--results", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    args.default_sizes = not argv
    return args


def main(argv):
    args = parse_args(argv)
    load_start = common.check_platform()
    common.drop_db(args.db)
    common.install_db(args.db, MODULES)
    registry = common.odoo_setup(args.db)
    try:
        info, sizes, levels, dashboard = run(registry, args)
    finally:
        if not args.keep_db:
            common.close_and_drop(args.db)
    info["load_start"] = load_start
    info["load_end"] = os.getloadavg()[0]
    common.write_results(
        args.results,
        render(args, info, sizes, levels, dashboard),
        MARK_START,
        MARK_END,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
