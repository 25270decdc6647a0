#!/usr/bin/env python3
"""What users pay for a real regulated record: the supplier qualification of
meddev_supplier (audit trail, signatures, stage permissions, mail tracking)
against its twin on Odoo alone (the same fields, the same mail tracking and
stored computes, mail.thread only), in the same database and run.

Usage (from the repository root)::

    python3 bench/bench_qualification.py            # full sizes, writes RESULTS.md
    python3 bench/bench_qualification.py --ops 100 --rounds 1 --results /tmp/q.md

It creates ``meddev_bench_qualification`` (dropped first), installs
``bench/addons/meddev_bench_supplier`` (meddev_supplier and the twin model)
without demo data, and as a QA manager (a real user, not superuser) measures
per variant and round: single-record creates, single-record writes of two
tracked fields of a candidate, and single-record writes of an approved record
with the reason for change that meddev requires there (the twin has no such
control: the same write without reason). Each call is flushed; a commit every
``--commit-every`` calls is timed too (mail tracking posts at commit). The
variants take turns round by round; the median round counts.
"""

import argparse
import datetime
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_audit import (  # shared helpers of the benchmarks
    admin_env,
    close_and_drop,
    install_db,
    machine_info,
    odoo_setup,
    say,
    write_results,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from meddev import drop_db  # the make driver's helpers

BENCH = Path(__file__).resolve().parent
MARK_START = "<!-- bench_qualification:start -->"
MARK_END = "<!-- bench_qualification:end -->"
REAL = "meddev.supplier.qualification"
TWIN = "meddev.bench.qualification"
VARIANTS = (
    ("twin", TWIN, "(a) Odoo alone: the twin on mail.thread, same tracking"),
    ("real", REAL, "(b) meddev supplier qualification"),
)
REASON = "Risk class reviewed at the management review"


def qa_manager_env(env):
    """A QA manager (a real user: access rights and rules apply)."""
    user = env["res.users"].search([("login", "=", "bench_qa_manager")])
    if not user:
        user = (
            env["res.users"]
            .sudo()
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench QA Manager",
                    "login": "bench_qa_manager",
                    "groups_id": [
                        (4, env.ref("base.group_user").id),
                        (4, env.ref("meddev_base.group_meddev_qa_manager").id),
                    ],
                }
            )
        )
    return env(user=user.id, su=False)


def partners(env, count):
    """``count`` supplier companies, made once."""
    return (
        env["res.partner"]
        .sudo()
        .create(
            [
                {"name": f"Bench supplier {i:05d}", "is_company": True}
                for i in range(count)
            ]
        )
    )


def timed(env, calls, commit_every, counter_tables):
    """Run ``calls`` (each one ORM call, flushed), committing every
    ``commit_every``; ms/call, SQL statements/call, rows/call in tables."""
    cr = env.cr
    cr.commit()
    rows_before = table_rows(cr, counter_tables)
    queries_before = cr.sql_log_count
    start = time.perf_counter()
    for i, call in enumerate(calls):
        call()
        env.flush_all()
        if (i + 1) % commit_every == 0:
            cr.commit()
    cr.commit()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries_before
    rows_after = table_rows(cr, counter_tables)
    count = len(calls)
    return {
        "ms": 1000 * elapsed / count,
        "sql": queries / count,
        **{t: (rows_after[t] - rows_before[t]) / count for t in counter_tables},
    }


def table_rows(cr, tables):
    result = {}
    for table in tables:
        cr.execute(f"SELECT count(*) FROM {table}")  # fixed table names
        result[table] = cr.fetchone()[0]
    return result


TABLES = ("meddev_audit_entry", "mail_tracking_value", "mail_message")


def create_calls(env, model, suppliers, scope):
    Model = env[model]
    return [
        lambda p=partner: Model.create(
            {"partner_id": p.id, "scope_id": scope.id, "risk_class": "B"}
        )
        for partner in suppliers
    ]


def write_calls(env, model, ids, reason=None, start=0):
    Model = env[model].with_context(audit_reason=reason) if reason else env[model]
    classes = ("A", "B", "C")
    return [
        lambda i=i, rid=rid: Model.browse(rid).write(
            {"risk_class": classes[(start + i) % 3], "notes": f"revision {start + i}"}
        )
        for i, rid in enumerate(ids)
    ]


def approve_all(env, model, ids):
    """Put records in the approved state the way each model's code would: the
    twin by a write, the real one as the server does after signatures (set-up
    only, not measured)."""
    records = env[model].sudo().browse(ids)
    if model == REAL:
        # set-up: the signed approval path is measured by the signature tests;
        # here only the later writes of an approved record are
        env.cr.execute(
            "UPDATE meddev_supplier_qualification SET state = 'qualified', "
            "last_evaluation_date = current_date WHERE id IN %s",
            (tuple(ids),),
        )
        records.invalidate_recordset()
    else:
        records.write(
            {"state": "qualified", "last_evaluation_date": datetime.date.today()}
        )
    env.cr.commit()


def bench(env, args):
    user_env = qa_manager_env(env)
    env.cr.commit()
    scope = env.ref("meddev_supplier.scope_eo_sterilization")
    results = {}
    order = [key for key, _m, _l in VARIANTS]
    for rnd in range(args.rounds):
        for key in order if rnd % 2 == 0 else list(reversed(order)):
            model = {k: m for k, m, _l in VARIANTS}[key]
            suppliers = partners(env, args.ops)
            env.cr.commit()
            say(f"round {rnd + 1}: {key}: creates")
            before = env[model].sudo().search([]).ids
            created = timed(
                user_env,
                create_calls(user_env, model, suppliers, scope),
                args.commit_every,
                TABLES,
            )
            ids = sorted(set(env[model].sudo().search([]).ids) - set(before))
            say(f"round {rnd + 1}: {key}: writes")
            written = timed(
                user_env, write_calls(user_env, model, ids), args.commit_every, TABLES
            )
            approve_all(env, model, ids)
            say(f"round {rnd + 1}: {key}: writes of approved records")
            controlled = timed(
                user_env,
                write_calls(user_env, model, ids, REASON if key == "real" else None, 7),
                args.commit_every,
                TABLES,
            )
            for name, value in (
                ("create", created),
                ("write", written),
                ("approved", controlled),
            ):
                results.setdefault((key, name), []).append(value)
    return {
        k: {field: statistics.median(r[field] for r in runs) for field in runs[0]}
        | {"rounds": [r["ms"] for r in runs]}
        for k, runs in results.items()
    }


def render(args, info, loads, results):
    lines = [
        MARK_START,
        "## A real regulated record: supplier qualification "
        "(`bench/bench_qualification.py`)",
        "",
        f"- command: `{args.command}` (from the repository root)",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; "
        f"load average {loads[0]:.2f} at the start, {loads[1]:.2f} at the end",
        f"- Odoo {info['odoo']}, PostgreSQL {info['postgres']}, "
        f"Python {info['python']}",
        "",
        f"{args.ops:,} single-record calls per variant, operation and round, "
        f"{args.rounds} round(s), median round; as a QA manager (access rights and "
        f"record rules apply), each call flushed, a commit every {args.commit_every} "
        "calls timed too (mail tracking posts at commit). *create*: a candidate "
        "qualification of a new supplier for EO sterilization; *write*: its risk "
        "class (tracked) and notes; *write, approved*: the same on an approved "
        "record, with the reason for change meddev requires there (Odoo alone has "
        "no such control).",
        "",
        "| operation | (a) Odoo alone, ms | (b) meddev, ms | × (a) | SQL/call (a) | "
        "SQL/call (b) | audit entries/call (b) | tracking values/call (a) | (b) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {"create": "create", "write": "write", "approved": "write, approved"}
    for op, label in names.items():
        a, b = results["twin", op], results["real", op]
        lines.append(
            f"| {label} | {a['ms']:.2f} | {b['ms']:.2f} | {b['ms'] / a['ms']:.2f} | "
            f"{a['sql']:.1f} | {b['sql']:.1f} | {b['meddev_audit_entry']:.2f} | "
            f"{a['mail_tracking_value']:.2f} | {b['mail_tracking_value']:.2f} |"
        )
    lines += [
        "",
        "Each round's ms/call: "
        + "; ".join(
            f"{key} {op} " + ", ".join(f"{ms:.2f}" for ms in results[key, op]["rounds"])
            for key, _m, _l in VARIANTS
            for op in names
        )
        + ".",
        "",
        "What a user pays is the difference: the audit entry written by the "
        "database trigger in the same statement, the stage-permission and "
        "signature guards in `create`/`write`, the record rules of the supplier "
        "scope, and the reason check of a controlled state. One create is one "
        "audit entry: the stored computed fields of audited models are "
        "precomputed, so the INSERT carries them.",
        "",
        MARK_END,
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="meddev_bench_qualification")
    parser.add_argument("--ops", type=int, default=1000, help="calls per operation")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (median)")
    parser.add_argument("--commit-every", type=int, default=50)
    parser.add_argument("--results", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    args.command = shlex.join(["python3", "bench/bench_qualification.py", *argv])
    return args


def main(argv):
    args = parse_args(argv)
    from bench_audit import check_platform

    load_start = check_platform()
    drop_db(args.db)
    install_db(args.db, modules="meddev_bench_supplier")
    registry = odoo_setup(args.db)
    try:
        with registry.cursor() as cr:
            env = admin_env(cr)
            info = machine_info(env)
            info["date"] = (
                datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
            )
            cr.commit()
            results = bench(env, args)
    finally:
        if not args.keep_db:
            close_and_drop(args.db)
    loads = (load_start, os.getloadavg()[0])
    section = render(args, info, loads, results)
    write_results(args.results, section, MARK_START, MARK_END)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
