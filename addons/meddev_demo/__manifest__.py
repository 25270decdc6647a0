{
    "name": "Medical Device QMS: Demo Company",
    "summary": "A medical-device company in Suzhou with its suppliers, users and "
    "records, for trying the suite",
    "version": "18.0.1.1.0",
    "category": "Medical Device QMS",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "maintainers": ["meddev"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["meddev_suite", "meddev_outsourcing", "meddev_quality"],
    # data, not demo: install it in a database created without Odoo's demo
    # data (make run does), so the database shows this company's world only.
    # Its records reach their states through the real actions and signatures
    # of the demo users (data/meddev_demo_scenario.xml).
    "data": [
        "data/res_company_demo.xml",
        "data/res_partner_demo.xml",
        "data/product_demo.xml",
        "data/uom_demo.xml",
        "data/mrp_bom_demo.xml",
        "data/res_users_demo.xml",
        "data/stock_demo.xml",
        "data/meddev_supplier_demo.xml",
        "data/purchase_order_demo.xml",
        "data/meddev_outsourcing_demo.xml",
        "data/meddev_permission_governance_demo.xml",
        "data/meddev_demo_scenario.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "meddev_demo/static/tests/tours/*.js",
        ],
    },
}
