{
    "name": "Medical Device QMS: Suite",
    "summary": "Installs every meddev module (the demo company is meddev_demo)",
    "version": "18.0.1.1.0",
    "category": "Medical Device QMS",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "maintainers": ["meddev"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "meddev_base",
        "meddev_supplier",
        "meddev_outsourcing",
        "meddev_quality",
        "purchase_stock",
        "mrp_subcontracting",
    ],
    "assets": {
        "web.assets_tests": [
            "meddev_suite/static/src/tests/tours/*.js",
        ],
    },
}
