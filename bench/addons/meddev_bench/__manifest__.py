{
    "name": "Medical Device QMS: Benchmark Models",
    "summary": "Bench-only models for bench/bench_audit.py; not for production",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["meddev_base", "mail"],
    "data": ["security/ir.model.access.csv"],
}
