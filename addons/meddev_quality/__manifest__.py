{
    "name": "Medical Device QMS: Inspections and Sampling",
    "summary": "Incoming and return inspections on OCA quality control with GB/T "
    "2828.1 (ISO 2859-1) sampling, defect classes, switching rules, signed "
    "decisions with second-person review, release from quarantine on inspection "
    "and a results API for instruments (ISO 13485 §7.4.3, §8.2.6)",
    "version": "18.0.1.0.0",
    "category": "Medical Device QMS",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "maintainers": ["meddev"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "meddev_outsourcing",
        "quality_control_stock_oca",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "data/meddev.aql.code.letter.csv",
        "data/meddev.aql.master.csv",
        "data/meddev_quality_governance_data.xml",
        "views/meddev_aql_views.xml",
        "views/meddev_sampling_plan_views.xml",
        "views/meddev_sampling_switch_views.xml",
        "reports/meddev_qc_inspection_report.xml",
        "views/qc_inspection_views.xml",
        "views/meddev_inspection_analysis_views.xml",
        "views/meddev_supplier_scorecard_views.xml",
        "views/meddev_quality_menus.xml",
    ],
}
