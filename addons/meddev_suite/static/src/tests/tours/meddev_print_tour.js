/** @odoo-module **/
import { registry } from "@web/core/registry";
import { loginSteps } from "./meddev_tour_login";

/**
 * Print a report from the web client as a demo user, and wait until the
 * download is over: no error dialog, no layout set-up dialog in its place.
 */
function printSteps(what, buttonTrigger) {
    return [
        {
            content: `Print ${what}`,
            trigger: buttonTrigger,
            run: "click",
        },
        {
            content: "Let the download run",
            trigger: "body",
            run: async () => {
                await new Promise((resolve) => setTimeout(resolve, 1500));
            },
        },
        {
            content: `${what} printed: no error, no layout set-up dialog`,
            trigger:
                "body:not(:has(.o_blockUI)):not(:has(.o_error_dialog)):not(:has(.o_base_document_layout))",
        },
    ];
}

registry.category("web_tour.tours").add("meddev_print_permission_matrix", {
    steps: () => [
        ...loginSteps("qms_admin"),
        ...printSteps(
            "the permission matrix",
            ".modal .modal-footer button[name='action_print_pdf']"
        ),
    ],
});

registry.category("web_tour.tours").add("meddev_print_audit_trail", {
    steps: () => [
        ...loginSteps("auditor"),
        ...printSteps(
            "the audit trail",
            ".modal .modal-footer button[name='action_print_pdf']"
        ),
    ],
});

registry.category("web_tour.tours").add("meddev_print_quality_agreement", {
    steps: () => [
        ...loginSteps("qa_manager"),
        {
            content: "Open the EO sterilizer's approved agreement",
            trigger: ".o_data_row:contains('Jierui') td",
            run: "click",
        },
        {
            content: "Open the Print menu",
            trigger: ".o_cp_action_menus button:has(.fa-print)",
            run: "click",
        },
        ...printSteps("the quality agreement", ".o-dropdown--menu .o-dropdown-item:contains('Quality Agreement')"),
    ],
});
