#!/usr/bin/env python3
"""Audit trail speed benchmark: meddev audit mixin vs plain write, OCA auditlog
(full log) and mail tracking; two concurrent writers; verify_chain() at scale.

Usage (from the repository root)::

    python3 bench/bench_audit.py                       # full sizes, writes RESULTS.md
    python3 bench/bench_audit.py --writes 400 --entries 20000 --rounds 1 \\
        --results /tmp/smoke.md                         # a quick smoke run

It creates a fresh database (``meddev_bench`` unless ``--db``), installs the
bench-only addon ``bench/addons/meddev_bench`` and OCA ``auditlog`` into it only
(``odoo-addon-auditlog`` is pip-installed into this Python when missing; it is
not a requirement of the suite), measures everything in that one database and
writes its tables to ``bench/RESULTS.md`` (between the ``bench_audit`` markers,
so other benchmarks may share the file). The database is dropped at the end
unless ``--keep-db``. Nothing here fails on speed: the numbers are ratios to
read, never a test.
"""

import argparse
import contextlib
import cProfile
import datetime
import importlib.metadata
import io
import json
import os
import platform
import pstats
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from meddev import (  # the make driver's helpers
    db_exists,
    drop_db,
    pg_connect,
    pip_install,
)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
AUDITLOG_REQ = "odoo-addon-auditlog==18.0.*"
MARK_START = "<!-- bench_audit:start -->"
MARK_END = "<!-- bench_audit:end -->"
# the lock the serialized control writers share (any 64-bit constant)
CONTROL_LOCK_KEY = 4_242_000_017
BAD_LOG = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)

PLAIN = "meddev.bench.plain"
AUDITED = "meddev.bench.audited"
TRACKED = "meddev.bench.tracked"
# key, model written, label
VARIANTS = (
    ("plain", PLAIN, "(a) plain model, no audit"),
    ("audited", AUDITED, "(b) meddev audit mixin"),
    ("auditlog", PLAIN, "(c) OCA auditlog, full log"),
    ("tracked", TRACKED, "(d) mail.thread, tracking=True"),
)
LABELS = {key: label for key, _model, label in VARIANTS}
# the functions of the audit mixin reported in the profile breakdown
MIXIN_FUNCS = (
    "write",
    "_audit_fields",
    "_audit_reason_for",
    "_audit_require_reason",
    "_audit_controlled",
    "_audit_values",
    "_audit_value",
    "_audit_row",
    "_change",
    "_audit_insert",
    "_request_origin",
)


def say(msg):
    print(f"[bench] {msg}", flush=True)


def die(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


# --------------------------------------------------------------------------
# set-up: auditlog package, database, Odoo in this process
# --------------------------------------------------------------------------
def addons_path():
    import odoo

    odoo_pkg = Path(odoo.__file__).resolve().parent
    paths = [ROOT / "addons", BENCH / "addons", odoo_pkg / "addons"]
    paths.append(odoo_pkg.parent / "addons")
    return ",".join(str(p) for p in paths if p.is_dir())


def auditlog_version():
    try:
        return importlib.metadata.version("odoo-addon-auditlog")
    except importlib.metadata.PackageNotFoundError:
        return None


def ensure_auditlog():
    """pip-install OCA auditlog for Odoo 18 into this Python when missing."""
    version = auditlog_version()
    if version and version.startswith("18.0"):
        return version
    say(f"installing {AUDITLOG_REQ} with pip (bench only, not a suite requirement)")
    returncode = pip_install(AUDITLOG_REQ)
    version = auditlog_version()
    if returncode != 0 or not version:
        die(f"pip could not install {AUDITLOG_REQ} (see above)")
    return version


def install_db(db, modules="meddev_bench,auditlog"):
    """Fresh database with ``modules`` (default: meddev_bench and auditlog), as
    odoo-bin would do it."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={addons_path()}",
        "-d",
        db,
        "-i",
        modules,
        "--stop-after-init",
        "--without-demo=all",
    ]
    log_path = CACHE / "install.log"
    say(f"installing {modules} into {db} (log: {log_path})")
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.run(
            cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, check=False
        )
    text = log_path.read_text(encoding="utf-8", errors="replace")
    bad = [m.group(0) for m in BAD_LOG.finditer(text)]
    if proc.returncode != 0 or bad:
        print("\n".join(text.splitlines()[-40:]), file=sys.stderr)
        die(f"installing the bench database failed; see {log_path}")


def odoo_setup(db):
    """Configure Odoo in this process as `odoo-bin shell` does; the registry."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={addons_path()}", "-d", db, "--log-level=warn"],
        setup_logging=True,
    )
    odoo.service.server.load_server_wide_modules()
    threading.current_thread().dbname = db
    return Registry(db)


def admin_env(cr):
    from odoo import SUPERUSER_ID, api

    uid = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin").id
    ctx = api.Environment(cr, uid, {})["res.users"].context_get()
    return api.Environment(cr, uid, ctx)


# --------------------------------------------------------------------------
# single-record writes
# --------------------------------------------------------------------------
class Values:
    """A counter so that every write really changes the record."""

    def __init__(self):
        self.next = 1

    def take(self, count):
        start = self.next
        self.next += count
        return start


def create_records(env, model, count, prefix):
    records = (
        env[model]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .create(
            [{"name": f"{prefix} {i:04d}", "qty": 0, "note": ""} for i in range(count)]
        )
    )
    env.cr.commit()
    return records.ids


def write_loop(env, model, ids, count, commit_every, base, cold=False, lock=False):
    """count single-record writes, each flushed, committing every commit_every.

    Each write is on a freshly browsed record (no prefetch of its neighbours), as
    one RPC call would be; ``cold`` also empties the ORM cache before each write.
    """
    cr = env.cr
    for i in range(count):
        if lock and i % commit_every == 0:
            # control only: one lock shared by all writers, held to the commit
            cr.execute("SELECT pg_advisory_xact_lock(%s)", (CONTROL_LOCK_KEY,))
        if cold:
            env.invalidate_all()
        value = base + i
        env[model].browse(ids[i % len(ids)]).write(
            {"qty": value, "note": f"revision {value}"}
        )
        env.flush_all()
        if (i + 1) % commit_every == 0:
            cr.commit()
    cr.commit()


def log_rows(cr):
    """Rows each variant writes, to check that every variant really logs."""
    counts = {}
    for key, table in (
        ("audited", "meddev_audit_entry"),
        ("auditlog", "auditlog_log"),
        ("tracked", "mail_tracking_value"),
    ):
        cr.execute(f"SELECT count(*) FROM {table}")
        counts[key] = cr.fetchone()[0]
    return counts


def timed_writes(env, key, model, ids, count, commit_every, values, cold):
    cr = env.cr
    cr.commit()
    rows_before = log_rows(cr)
    queries_before = cr.sql_log_count
    start = time.perf_counter()
    write_loop(env, model, ids, count, commit_every, values.take(count), cold)
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries_before
    rows_after = log_rows(cr)
    logged = {k: rows_after[k] - rows_before[k] for k in rows_after}
    return {
        "ms": 1000 * elapsed / count,
        "queries": queries / count,
        "logged": logged.get(key, 0) / count,
        "audit_entries": logged["audited"] / count,
    }


class AuditlogRule:
    """The OCA auditlog rule on the plain model, subscribed only for (c)."""

    def __init__(self, env):
        model_id = env["ir.model"]._get_id(PLAIN)
        self.rule = env["auditlog.rule"].create(
            {
                "name": "bench: meddev.bench.plain, full log",
                "model_id": model_id,
                "log_type": "full",
                "log_read": False,
                "log_write": True,
                "log_create": True,
                "log_unlink": True,
                "log_export_data": False,
            }
        )
        env.cr.commit()

    def __enter__(self):
        self.rule.subscribe()
        self.rule.env.cr.commit()
        return self

    def __exit__(self, *exc):
        self.rule.unsubscribe()
        self.rule.env.cr.commit()


def bench_writes(env, args, values):
    """Benchmark 1: the four variants, warm and cold cache, rotated per round."""
    ids = {
        key: create_records(env, model, args.commit_every, f"bench {key}")
        for key, model, _label in VARIANTS
    }
    models_ = {key: model for key, model, _label in VARIANTS}
    rule = AuditlogRule(env)
    results = {(key, cold): [] for key in models_ for cold in (False, True)}

    def run(key, cold, count, record=True):
        with rule if key == "auditlog" else contextlib.nullcontext():
            result = timed_writes(
                env, key, models_[key], ids[key], count, args.commit_every, values, cold
            )
        if record:
            results[key, cold].append(result)
        return result

    say("writes: warming up")
    for key in models_:
        run(key, False, args.commit_every, record=False)
    keys = list(models_)
    for rnd in range(args.rounds):
        order = keys[rnd % len(keys) :] + keys[: rnd % len(keys)]
        for cold in (False, True):
            for key in order:
                result = run(key, cold, args.writes)
                say(
                    f"writes round {rnd + 1}/{args.rounds} "
                    f"{'emptied cache' if cold else 'as is'} {key}: "
                    f"{result['ms']:.3f} ms/write, {result['queries']:.1f} SQL/write"
                )
    summary = {}
    for (key, cold), runs in results.items():
        summary[key, cold] = {
            "ms": statistics.median(r["ms"] for r in runs),
            "ms_all": [r["ms"] for r in runs],
            "queries": statistics.median(r["queries"] for r in runs),
            "logged": statistics.median(r["logged"] for r in runs),
            "audit_entries": statistics.median(r["audit_entries"] for r in runs),
        }
    return summary, ids, rule


# --------------------------------------------------------------------------
# where the time goes: SQL statements and a profile of the audited write
# --------------------------------------------------------------------------
class QueryRecorder:
    """Wraps psycopg2's cursor under Odoo's cursor: each statement and its time."""

    def __init__(self, inner):
        self._inner = inner
        self.statements = []

    def execute(self, query, params=None):
        start = time.perf_counter()
        try:
            return self._inner.execute(query, params)
        finally:
            text = query.decode() if isinstance(query, bytes) else str(query)
            self.statements.append((text, time.perf_counter() - start))

    def __getattr__(self, name):
        return getattr(self._inner, name)


def statement_head(text):
    """A short, value-free name of a SQL statement: verb and table."""
    text = " ".join(text.split())
    verb = text.split(" ", 1)[0].upper()
    patterns = {
        "SELECT": r'\bFROM\s+"?(\w+)"?',
        "UPDATE": r'^UPDATE\s+"?(\w+)"?',
        "INSERT": r'^INSERT\s+INTO\s+"?(\w+)"?',
        "DELETE": r'^DELETE\s+FROM\s+"?(\w+)"?',
    }
    if verb in patterns:
        match = re.search(patterns[verb], text, re.IGNORECASE)
        return f"{verb} {match.group(1)}" if match else verb
    return verb


def sql_breakdown(env, key, model, ids, count, commit_every, values, rule):
    """Statements per write and time spent inside them (warm cache)."""
    cr = env.cr
    cr.commit()
    with rule if key == "auditlog" else contextlib.nullcontext():
        recorder = QueryRecorder(cr._obj)
        cr._obj = recorder
        start = time.perf_counter()
        try:
            write_loop(env, model, ids, count, commit_every, values.take(count))
        finally:
            cr._obj = recorder._inner
        elapsed = time.perf_counter() - start
    heads = {}
    for text, seconds in recorder.statements:
        head = statement_head(text)
        n, total = heads.get(head, (0, 0.0))
        heads[head] = (n + 1, total + seconds)
    sql_seconds = sum(seconds for _text, seconds in recorder.statements)
    return {
        "ms": 1000 * elapsed / count,
        "sql_ms": 1000 * sql_seconds / count,
        "statements": len(recorder.statements) / count,
        "heads": {
            head: (n / count, 1000 * total / count)
            for head, (n, total) in sorted(heads.items(), key=lambda item: -item[1][1])
        },
        "example": [text for text, _s in recorder.statements[:40]],
    }


def profile_audited(env, ids, count, commit_every, values):
    """cProfile of count audited writes: ms per write in each mixin function."""
    cr = env.cr
    cr.commit()
    profiler = cProfile.Profile()
    base = values.take(count)
    profiler.enable()
    write_loop(env, AUDITED, ids, count, commit_every, base)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    (CACHE / "profile_audited_write.txt").write_text(out.getvalue(), encoding="utf-8")
    total = stats.total_tt
    rows = {}
    for (filename, _line, name), stat in stats.stats.items():
        ncalls, cumtime = stat[1], stat[3]
        if filename.endswith("meddev_audit_mixin.py") and name in MIXIN_FUNCS:
            calls, cum = rows.get(name, (0, 0.0))
            rows[name] = (calls + ncalls, cum + cumtime)
        elif name in ("flush_all", "commit") and (
            filename.endswith(("odoo/api.py", "odoo/sql_db.py"))
        ):
            calls, cum = rows.get(name, (0, 0.0))
            rows[name] = (calls + ncalls, cum + cumtime)
    return {
        "total_ms": 1000 * total / count,
        "rows": {
            name: (calls / count, 1000 * cum / count)
            for name, (calls, cum) in rows.items()
        },
    }


# --------------------------------------------------------------------------
# benchmark 2: two concurrent writer processes
# --------------------------------------------------------------------------
def worker_main(spec):
    """A writer process: its own registry and cursor; waits for "go" on stdin."""
    registry = odoo_setup(spec["db"])
    with registry.cursor() as cr:
        env = admin_env(cr)
        ids = spec["ids"]
        # warm this process's caches (ACLs, field metadata) before the clock
        write_loop(env, spec["model"], ids, len(ids), spec["commit_every"], 1)
        print("ready", flush=True)
        sys.stdin.readline()
        wall_start = time.time()
        start = time.perf_counter()
        write_loop(
            env,
            spec["model"],
            ids,
            spec["writes"],
            spec["commit_every"],
            spec["base"],
            lock=spec["lock"],
        )
        elapsed = time.perf_counter() - start
        result = {"start": wall_start, "end": time.time(), "elapsed": elapsed}
        print(json.dumps(result), flush=True)


def run_writers(db, model, slices, writes, commit_every, values, lock=False):
    """Start one writer per slice of records, release them together; wall time."""
    log = open(CACHE / "writers.log", "a", encoding="utf-8")
    procs = []
    for ids in slices:
        spec = {
            "db": db,
            "model": model,
            "ids": ids,
            "writes": writes,
            "commit_every": commit_every,
            "base": values.take(writes),
            "lock": lock,
        }
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--worker",
                    json.dumps(spec),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                cwd=ROOT,
            )
        )
    try:
        for proc in procs:
            line = proc.stdout.readline()
            if line.strip() != "ready":
                die(f"a writer process failed to start; see {CACHE / 'writers.log'}")
        monitor = pg_connect(db)
        monitor.autocommit = True
        samples = lock_samples = 0
        waits = {}
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        with monitor.cursor() as mcr:
            while any(proc.poll() is None for proc in procs):
                mcr.execute(
                    "SELECT wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() "
                    "AND state = 'active'",
                    (db,),
                )
                rows = mcr.fetchall()
                samples += 1
                lock_samples += any(row[0] == "Lock" for row in rows)
                for row in rows:
                    name = f"{row[0]}:{row[1]}" if row[0] else "CPU"
                    waits[name] = waits.get(name, 0) + 1
                time.sleep(0.02)
        monitor.close()
        results = []
        for proc in procs:
            out = proc.stdout.read().strip().splitlines()
            if proc.returncode != 0 or not out:
                die(f"a writer process failed; see {CACHE / 'writers.log'}")
            results.append(json.loads(out[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        log.close()
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    return {
        "wall": wall,
        "each": [r["elapsed"] for r in results],
        "samples": samples,
        "lock_samples": lock_samples,
        "waits": waits,
    }


def bench_concurrent(registry, env, args, values):
    """Benchmark 2: one process doing 2N writes vs two doing N each, at once."""
    n = args.concurrent_writes
    size = args.commit_every
    commit_every = args.conc_commit_every

    def report(rnd, what, mode, res):
        say(
            f"writers round {rnd + 1}/{args.rounds} {what} "
            f"{'1 process, 2N' if mode == 'one' else '2 processes, N each'}: "
            f"{res['wall']:.2f} s wall, lock waits seen in "
            f"{res['lock_samples']}/{res['samples']} samples"
        )

    slices = {
        model: [
            create_records(env, model, size, f"writer A {key}"),
            create_records(env, model, size, f"writer B {key}"),
        ]
        for key, model in (("plain", PLAIN), ("audited", AUDITED))
    }
    env.cr.commit()
    results = {model: {"one": [], "two": []} for model in slices}
    results["control"] = {"two": []}
    for rnd in range(args.rounds):
        order = ("one", "two") if rnd % 2 == 0 else ("two", "one")
        for model, (ids_a, ids_b) in slices.items():
            for mode in order:
                if mode == "one":
                    res = run_writers(
                        args.db, model, [ids_a + ids_b], 2 * n, commit_every, values
                    )
                else:
                    res = run_writers(
                        args.db, model, [ids_a, ids_b], n, commit_every, values
                    )
                results[model][mode].append(res)
                report(rnd, model, mode, res)
        # control: the same two audited writers, made to share one lock
        ids_a, ids_b = slices[AUDITED]
        res = run_writers(
            args.db, AUDITED, [ids_a, ids_b], n, commit_every, values, lock=True
        )
        results["control"]["two"].append(res)
        report(rnd, "control (shared lock)", "two", res)
    # the sealer chains what the writers left, then the chain must verify
    env.invalidate_all()
    env.cr.commit()
    start = time.perf_counter()
    sealed = env["meddev.audit.entry"]._seal(limit=2_000_000_000)
    env.cr.commit()
    seal_seconds = time.perf_counter() - start
    verify = env["meddev.audit.entry"].verify_chain()
    env.cr.commit()
    return results, {"sealed": sealed, "seal_s": seal_seconds, "verify": verify}


# --------------------------------------------------------------------------
# benchmark 3: verify_chain() over a million sealed entries
# --------------------------------------------------------------------------
INSERT_ENTRIES = """
INSERT INTO meddev_audit_entry (timestamp, user_id, user_login, res_model, res_id,
    res_name, operation, changes_json, changed_fields, reason, company_id, ip_address,
    session_ref)
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => (%(n)s - g) * 2.5),
       %(uid)s, %(login)s, 'meddev.bench.audited', 1 + g %% 5000,
       'Bench record ' || lpad((1 + g %% 5000)::text, 4, '0'),
       CASE WHEN g %% 50 = 1 THEN 'create' ELSE 'write' END,
       jsonb_build_array(
           jsonb_build_object('field', 'qty', 'label', 'Qty', 'type', 'integer',
               'old', g - 1, 'new', g,
               'old_display', (g - 1)::text, 'new_display', g::text),
           jsonb_build_object('field', 'note', 'label', 'Note', 'type', 'char',
               'old', 'revision ' || (g - 1), 'new', 'revision ' || g,
               'old_display', 'revision ' || (g - 1),
               'new_display', 'revision ' || g))::text,
       'qty note',
       CASE WHEN g %% 7 = 0 THEN 'Correction after review, ticket ' || g END,
       %(company)s,
       '10.20.' || (g / 256 %% 256) || '.' || (g %% 256),
       CASE WHEN g %% 3 = 0 THEN NULL ELSE md5('session ' || (g / 40)) END
  FROM generate_series(1, %(n)s) AS g
"""


def bench_verify(registry, env, args):
    cr = env.cr
    entries = env["meddev.audit.entry"]
    result = {}
    say(f"chain: inserting {args.entries:,} entries with SQL")
    start = time.perf_counter()
    cr.execute(
        INSERT_ENTRIES,
        {
            "n": args.entries,
            "uid": env.uid,
            "login": env.user.login,
            "company": env.company.id,
        },
    )
    cr.commit()
    result["insert_s"] = time.perf_counter() - start
    say(f"chain: inserted in {result['insert_s']:.1f} s; sealing (plpgsql)")
    start = time.perf_counter()
    result["sealed"] = entries._seal(limit=2_000_000_000)
    cr.commit()
    result["seal_s"] = time.perf_counter() - start
    say(f"chain: sealed {result['sealed']:,} in {result['seal_s']:.1f} s")
    cr.execute("SELECT count(*) FROM meddev_audit_entry WHERE hash IS NOT NULL")
    result["total_sealed"] = cr.fetchone()[0]
    cr.execute("SELECT pg_total_relation_size('meddev_audit_entry')")
    result["table_bytes_before_vacuum"] = cr.fetchone()[0]

    def timed_verify():
        cr.commit()
        start = time.perf_counter()
        res = entries.verify_chain()
        seconds = time.perf_counter() - start
        cr.commit()
        return seconds, res

    result["before_vacuum_s"], res = timed_verify()
    say(f"chain: verify_chain() before VACUUM {result['before_vacuum_s']:.2f} s")
    conn = pg_connect(args.db)
    conn.autocommit = True
    start = time.perf_counter()
    with conn.cursor() as vcr:
        vcr.execute("VACUUM (ANALYZE) meddev_audit_entry")
        vcr.execute("SELECT pg_total_relation_size('meddev_audit_entry')")
        result["table_bytes"] = vcr.fetchone()[0]
    conn.close()
    result["vacuum_s"] = time.perf_counter() - start
    runs = []
    for i in range(3):
        seconds, res = timed_verify()
        runs.append(seconds)
        say(f"chain: verify_chain() run {i + 1}: {seconds:.2f} s, ok={res['ok']}")
    result["verify_runs"] = runs
    result["verify_s"] = statistics.median(runs)
    result["verify"] = res
    return result


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
def machine_info(env):
    import odoo

    cr = env.cr
    info = {}
    info["nproc"] = len(os.sched_getaffinity(0))
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    info["cpu"] = model.group(1).strip() if model else platform.processor()
    info["odoo"] = odoo.release.version
    cr.execute("SHOW server_version")
    info["postgres"] = cr.fetchone()[0]
    settings = {}
    for name in (
        "shared_buffers",
        "work_mem",
        "synchronous_commit",
        "max_parallel_workers_per_gather",
    ):
        cr.execute(f"SHOW {name}")
        settings[name] = cr.fetchone()[0]
    info["pg_settings"] = settings
    info["python"] = platform.python_version()
    info["auditlog"] = auditlog_version()
    return info


def lock_share(runs):
    locks = sum(r["lock_samples"] for r in runs)
    samples = sum(r["samples"] for r in runs)
    return f"{locks} / {samples} samples ({100 * locks / max(samples, 1):.0f} %)"


def wait_summary(runs):
    waits = {}
    for run in runs:
        for name, count in run["waits"].items():
            waits[name] = waits.get(name, 0) + count
    total = sum(waits.values())
    if not total:
        return "no backend was active in any sample (the time is in Python)"
    top = sorted(waits.items(), key=lambda item: -item[1])[:5]
    return ", ".join(f"`{name}` {100 * count / total:.0f} %" for name, count in top)


def fmt_bytes(n):
    return f"{n / 1024 / 1024:.0f} MiB"


def render(args, info, loads, writes, breakdown, profile, concurrent, chain):
    lines = [
        MARK_START,
        "## Audit trail (`bench/bench_audit.py`)",
        "",
        f"- command: `{args.command}` (from the repository root)",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; "
        f"load average {loads[0]:.2f} at the start, {loads[1]:.2f} at the end "
        "(the machine is shared)",
        f"- Odoo {info['odoo']}, PostgreSQL {info['postgres']} ("
        + ", ".join(f"{k} {v}" for k, v in info["pg_settings"].items())
        + f"), Python {info['python']}, OCA auditlog {info['auditlog']}",
        "",
    ]
    if writes:
        ref = {cold: writes["plain", cold]["ms"] for cold in (False, True)}
        lines += [
            "### 1. Single-record writes",
            "",
            f"{args.writes:,} writes per variant and round, {args.rounds} round(s), "
            "median of the rounds (variant order rotated per round). Each write: "
            "`record.write({'qty': n, 'note': 'revision n'}); env.flush_all()` on "
            f"one of {args.commit_every} records, `cr.commit()` every "
            f"{args.commit_every} writes, commits included in the time (mail "
            "tracking posts its messages at commit). A commit empties the ORM "
            "cache and each record is written once per transaction, so every "
            "write finds its record uncached, as one RPC call would; the ORM's "
            "other caches (user, access rights) stay warm. *Emptied cache*: "
            "`env.invalidate_all()` before each write as well.",
            "",
            "| variant | ms/write | × (a) | + ms vs (a) | ms/write, emptied cache "
            "| × (a) | SQL/write | log rows/write |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for key, _model, label in VARIANTS:
            warm, cold = writes[key, False], writes[key, True]
            logged = "–" if key == "plain" else f"{warm['logged']:.2f}"
            lines.append(
                f"| {label} | {warm['ms']:.3f} | {warm['ms'] / ref[False]:.2f} "
                f"| {warm['ms'] - ref[False]:+.3f} "
                f"| {cold['ms']:.3f} | {cold['ms'] / ref[True]:.2f} "
                f"| {warm['queries']:.1f} | {logged} |"
            )
        ratio = writes["audited", False]["ms"] / ref[False]
        lines += [
            "",
            "Log rows: `meddev_audit_entry` rows for (b), `auditlog_log` rows for "
            "(c) (plus one `auditlog_log_line` per changed field), "
            "`mail_tracking_value` rows for (d) (two fields per write).",
            "",
            f"Target (issue): (b) ≤ 1.30 × (a). Measured: **{ratio:.2f} ×**, "
            f"**{writes['audited', True]['ms'] / ref[True]:.2f} ×** with the cache "
            "emptied before each write.",
            "",
            "Each round's ms/write: "
            + "; ".join(
                f"{key} "
                + ", ".join(f"{ms:.3f}" for ms in writes[key, False]["ms_all"])
                for key, _m, _l in VARIANTS
            )
            + ".",
            "",
        ]
    if breakdown:
        lines += [
            "#### Where the time of a write goes (separate pass)",
            "",
            f"{args.profile_writes} writes per variant with each SQL statement "
            "timed at the driver (psycopg2 `execute`, round trip included); the "
            "rest is Python in Odoo plus `COMMIT`.",
            "",
            "| variant | ms/write | in SQL statements | rest | statements/write |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for key, _model, label in VARIANTS:
            b = breakdown[key]
            lines.append(
                f"| {label} | {b['ms']:.3f} | {b['sql_ms']:.3f} "
                f"| {b['ms'] - b['sql_ms']:.3f} | {b['statements']:.1f} |"
            )
        lines += ["", "Statements per write (count, ms):", ""]
        for key in ("plain", "audited", "auditlog"):
            heads = "; ".join(
                f"`{head}` {n:.2f} ({ms:.3f})"
                for head, (n, ms) in breakdown[key]["heads"].items()
            )
            lines.append(f"- {LABELS[key]}: {heads}")
        lines.append("")
    if profile:
        lines += [
            "#### cProfile of the audited write",
            "",
            f"{args.profile_writes} audited writes under cProfile (which inflates "
            "Python time): "
            f"{profile['total_ms']:.3f} ms/write in all. Per write, cumulative:",
            "",
            "| function | calls/write | ms/write |",
            "| --- | ---: | ---: |",
        ]
        for name, (calls, ms) in sorted(
            profile["rows"].items(), key=lambda item: -item[1][1]
        ):
            lines.append(f"| `{name}` | {calls:.1f} | {ms:.3f} |")
        lines += [
            "",
            "(`write` is the mixin's override, everything included; the full "
            "profile is in `bench/.cache/profile_audited_write.txt` after a run.)",
            "",
        ]
    if concurrent:
        results, after = concurrent
        n = args.concurrent_writes
        lines += [
            "### 2. Two writer processes at once",
            "",
            f"Each writer is its own OS process with its own registry and cursor, "
            f"writing its own {args.commit_every} records, `cr.commit()` every "
            f"{args.conc_commit_every} writes; both are released together after "
            "loading. One process doing 2N writes vs two processes doing N each "
            f"(N = {n:,}), median wall time of {args.rounds} round(s). 0.5 would "
            "be perfect parallelism on two idle cores, 1.0 full serialization; "
            "the plain model shows what the (shared) machine allowed at the time, "
            "and the control row what writers serialized on one lock look like. "
            "Lock waits: samples of `pg_stat_activity` (every 20 ms) in which a "
            "backend of the bench database waited on a heavyweight lock.",
            "",
            "| writers | 1 process, 2N writes | 2 processes, N each "
            "| 2 proc / 1 proc | samples with a lock wait |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        one_audited = None
        for model, label in ((PLAIN, LABELS["plain"]), (AUDITED, LABELS["audited"])):
            one = statistics.median(r["wall"] for r in results[model]["one"])
            two = statistics.median(r["wall"] for r in results[model]["two"])
            one_audited = one
            lines.append(
                f"| {label} | {one:.2f} s | {two:.2f} s | {two / one:.2f} "
                f"| {lock_share(results[model]['two'])} |"
            )
        control = statistics.median(r["wall"] for r in results["control"]["two"])
        lines.append(
            "| control: (b) with one lock shared by both writers, held to each "
            f"commit | (as (b)) | {control:.2f} s | {control / one_audited:.2f} "
            f"| {lock_share(results['control']['two'])} |"
        )
        lines += [
            "",
            "What the active backends of the bench database were doing, share of "
            "the samples (2 processes, all rounds; `CPU` = active, no wait "
            "event):",
            "",
        ]
        for what, label in (
            (PLAIN, LABELS["plain"]),
            (AUDITED, LABELS["audited"]),
            ("control", "control with a shared lock"),
        ):
            lines.append(f"- {label}: {wait_summary(results[what]['two'])}")
        verify = after["verify"]
        lines += [
            "",
            f"After the writers: `_seal()` sealed {after['sealed']:,} entries in "
            f"{after['seal_s']:.2f} s; `verify_chain()`: ok = **{verify['ok']}**, "
            f"{verify['checked']:,} sealed entries checked, "
            f"{verify['unsealed']} unsealed.",
            "",
        ]
    if chain:
        verify = chain["verify"]
        lines += [
            f"### 3. `verify_chain()` over {args.entries:,} entries",
            "",
            f"{args.entries:,} plausible entries inserted with one `INSERT … SELECT "
            "generate_series`, sealed by `_seal()` (the plpgsql sealer), then "
            "`verify_chain()` timed alone in its own transaction. The chain also "
            "holds the entries of the benchmarks above.",
            "",
            "| step | time |",
            "| --- | ---: |",
            f"| INSERT {args.entries:,} entries (SQL) | {chain['insert_s']:.1f} s |",
            f"| `_seal()` of {chain['sealed']:,} entries "
            f"| {chain['seal_s']:.1f} s ({chain['sealed'] / chain['seal_s']:,.0f}/s) |",
            f"| `verify_chain()` right after sealing, before VACUUM "
            f"| {chain['before_vacuum_s']:.2f} s |",
            f"| VACUUM (ANALYZE) meddev_audit_entry | {chain['vacuum_s']:.1f} s |",
            "| **`verify_chain()`** (median of 3: "
            + ", ".join(f"{s:.2f}" for s in chain["verify_runs"])
            + f") | **{chain['verify_s']:.2f} s** |",
            "",
            f"Target: ≤ 5 s. Result: ok = **{verify['ok']}**, "
            f"{verify['checked']:,} sealed entries checked, first bad id "
            f"{verify['first_bad_id']}; table with indexes "
            f"{fmt_bytes(chain['table_bytes_before_vacuum'])} before VACUUM, "
            f"{fmt_bytes(chain['table_bytes'])} after.",
            "",
        ]
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


def close_and_drop(db):
    """Close this process's registry and connections of ``db``, then drop it."""
    from odoo import sql_db
    from odoo.modules.registry import Registry

    Registry.delete(db)
    sql_db.close_db(db)
    drop_db(db)


def write_results(path, section, start=MARK_START, end=MARK_END):
    """Put ``section`` (from ``start`` to ``end`` marker) into the results
    file, replacing the benchmark's previous section."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        if not text:
            text = (
                "# Benchmark results\n\nWritten by the scripts in `bench/`; "
                "see `bench/README.md`. Ratios, never pass/fail.\n\n"
            )
        text = text.rstrip("\n") + "\n\n" + section if text.strip() else section
    path.write_text(text, encoding="utf-8")
    say(f"results written to {path}")


# --------------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="meddev_bench", help="bench database")
    parser.add_argument(
        "--writes", type=int, default=2000, help="writes per variant and round"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds (median)")
    parser.add_argument(
        "--commit-every", type=int, default=200, help="writes per commit"
    )
    parser.add_argument(
        "--concurrent-writes",
        type=int,
        help="N, writes of each of the two writer processes (default: --writes)",
    )
    parser.add_argument(
        "--conc-commit-every",
        type=int,
        default=20,
        help="writes per commit in the writer processes",
    )
    parser.add_argument(
        "--entries", type=int, default=1_000_000, help="entries for verify_chain"
    )
    parser.add_argument(
        "--profile-writes",
        type=int,
        default=400,
        help="writes of the SQL breakdown and of the profile",
    )
    parser.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="profile the audited write (auto: when it is above 1.3 x plain)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("writes", "concurrent", "chain"),
        help="skip a benchmark (repeatable)",
    )
    parser.add_argument(
        "--results", default=str(BENCH / "RESULTS.md"), help="where to write"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the existing database instead of re-creating it",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.concurrent_writes is None:
        args.concurrent_writes = args.writes
    args.command = shlex.join(["python3", "bench/bench_audit.py", *argv])
    return args


def check_platform(before_database=None):
    """Odoo 18 importable, PostgreSQL reachable, the configuration parsed;
    ``before_database`` runs before the database is reached. The load
    average at the start (each benchmark reports it)."""
    try:
        import odoo.release
    except ImportError:
        die("Odoo 18.0 Community is not importable by this python3; see README.md")
    if odoo.release.version_info[0] != 18:
        die(f"Odoo 18 is required, found {odoo.release.version}")
    CACHE.mkdir(exist_ok=True)
    if before_database:
        before_database()
    try:
        pg_connect().close()
    except Exception as exc:
        die(f"PostgreSQL is not reachable ({exc}); start it (make check does)")
    load_start = os.getloadavg()[0]
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path()}"], setup_logging=False)
    return load_start


def _prepare_audit_bench():
    (CACHE / "writers.log").write_text("", encoding="utf-8")
    ensure_auditlog()


def main(argv):
    args = parse_args(argv)
    if args.worker:
        worker_main(json.loads(args.worker))
        return 0
    load_start = check_platform(_prepare_audit_bench)
    if not (args.reuse_db and db_exists(args.db)):
        drop_db(args.db)
        install_db(args.db)
    registry = odoo_setup(args.db)
    values = Values()
    writes = breakdown = profile = concurrent = chain = None
    try:
        with registry.cursor() as cr:
            env = admin_env(cr)
            info = machine_info(env)
            info["date"] = (
                datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
            )
            cr.commit()
            if "writes" not in args.skip:
                writes, ids, rule = bench_writes(env, args, values)
                say("writes: SQL breakdown")
                breakdown = {
                    key: sql_breakdown(
                        env,
                        key,
                        model,
                        ids[key],
                        args.profile_writes,
                        args.commit_every,
                        values,
                        rule,
                    )
                    for key, model, _label in VARIANTS
                }
                (CACHE / "sql_one_write.txt").write_text(
                    "\n\n".join(
                        f"== {key}: first statements ==\n" + "\n".join(b["example"])
                        for key, b in breakdown.items()
                    ),
                    encoding="utf-8",
                )
                ratio = writes["audited", False]["ms"] / writes["plain", False]["ms"]
                if args.profile == "always" or (args.profile == "auto" and ratio > 1.3):
                    say("writes: profiling the audited write")
                    profile = profile_audited(
                        env,
                        ids["audited"],
                        args.profile_writes,
                        args.commit_every,
                        values,
                    )
            if "concurrent" not in args.skip:
                say("writers: one process vs two")
                concurrent = bench_concurrent(registry, env, args, values)
            if "chain" not in args.skip and args.entries > 0:
                chain = bench_verify(registry, env, args)
    finally:
        if not args.keep_db:
            close_and_drop(args.db)
    loads = (load_start, os.getloadavg()[0])
    section = render(args, info, loads, writes, breakdown, profile, concurrent, chain)
    write_results(args.results, section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
