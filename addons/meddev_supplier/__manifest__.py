{
    "name": "Medical Device QMS: Supplier Qualification",
    "summary": "Approved supplier list, supplier qualifications by scope and risk "
    "class, certificates with expiry alerts, purchasing and receipt blocked for "
    "unqualified suppliers (ISO 13485 §7.4)",
    "version": "18.0.1.0.0",
    "category": "Medical Device QMS",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "maintainers": ["meddev"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["meddev_base", "purchase_stock", "mrp_subcontracting"],
    "data": [
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "data/meddev_supplier_scope_data.xml",
        "data/meddev_supplier_governance_data.xml",
        "views/meddev_supplier_scope_views.xml",
        "views/meddev_supplier_qualification_views.xml",
        "views/meddev_supplier_certificate_views.xml",
        "views/product_category_views.xml",
        "views/product_template_views.xml",
        "reports/meddev_supplier_asl_report.xml",
        "views/meddev_supplier_menus.xml",
    ],
}
