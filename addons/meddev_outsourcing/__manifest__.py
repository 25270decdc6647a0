{
    "name": "Medical Device QMS: Outsourcing Jobs",
    "summary": "Outsourcing jobs on Odoo subcontracting: versioned process "
    "specifications, signed release to the supplier with approval tiers, first "
    "article, supplier process records, quarantine and signed lot release "
    "(ISO 13485 §4.1.5, §7.4, §7.5.6)",
    "version": "18.0.1.0.0",
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
        "mrp_subcontracting_purchase",
        "base_tier_validation",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "data/meddev_outsourcing_sequence_data.xml",
        "data/meddev_outsourcing_governance_data.xml",
        "reports/meddev_outsourcing_job_report.xml",
        "views/meddev_process_spec_views.xml",
        "views/meddev_outsourcing_job_views.xml",
        "views/meddev_reference_sample_views.xml",
        "views/mrp_bom_views.xml",
        "views/mrp_production_views.xml",
        "views/purchase_order_views.xml",
        "views/res_partner_views.xml",
        "views/stock_lot_views.xml",
        "views/meddev_outsourcing_menus.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "meddev_outsourcing/static/tests/tours/*.js",
        ],
    },
}
