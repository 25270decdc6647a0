{
    "name": "Medical Device QMS: Suite",
    "summary": "Installs every meddev module, with a bilingual demo scenario",
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
        "purchase_stock",
        "mrp_subcontracting",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        "demo/mrp_bom_demo.xml",
        "demo/res_users_demo.xml",
        "demo/stock_demo.xml",
        "demo/meddev_supplier_demo.xml",
        "demo/purchase_order_demo.xml",
        "demo/meddev_permission_governance_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "meddev_suite/static/src/tests/tours/*.js",
        ],
    },
}
