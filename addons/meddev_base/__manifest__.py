{
    "name": "Medical Device QMS: Base",
    "summary": "Shared mechanisms of the meddev suite: QMS roles, menus, settings",
    "version": "18.0.1.0.0",
    "category": "Medical Device QMS",
    "website": "https://github.com/meddev-qms/meddev",
    "author": "meddev",
    "maintainers": ["meddev"],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["base_setup", "mail", "web"],
    "data": [
        "security/meddev_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/meddev_audit_entry_views.xml",
        "views/meddev_audit_report_wizard_views.xml",
        "reports/meddev_audit_trail_report.xml",
        "views/res_config_settings_views.xml",
        "views/meddev_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "meddev_base/static/src/welcome/*",
        ],
    },
}
