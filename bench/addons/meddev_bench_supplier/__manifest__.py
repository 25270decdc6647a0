{
    "name": "Medical Device QMS: Supplier Benchmark Models",
    "summary": "Bench-only twin of the supplier qualification for "
    "bench/bench_qualification.py; not for production",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["meddev_supplier", "mail"],
    "data": ["security/ir.model.access.csv"],
}
