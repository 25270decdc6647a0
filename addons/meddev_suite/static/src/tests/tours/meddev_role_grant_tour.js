/** @odoo-module **/
import { registry } from "@web/core/registry";
import { loginSteps } from "./meddev_tour_login";

/**
 * The demo QA manager opens the temporary role requests, approves the leave
 * cover of the demo by her electronic signature (password re-entered), and the
 * request is approved.
 */
registry.category("web_tour.tours").add("meddev_role_grant_approve", {
    url: "/web/login?redirect=/odoo/action-meddev_base.meddev_role_grant_action",
    steps: () => [
        ...loginSteps("qa_manager"),
        {
            content: "Open the request that waits for approval",
            trigger: ".o_data_row:contains('Zhao Lei') td[name='name']",
            run: "click",
        },
        {
            content: "Approve and sign",
            trigger: ".o_form_statusbar button.btn-primary[name='action_meddev_sign']",
            run: "click",
        },
        {
            content: "Re-enter the password",
            trigger: ".modal div[name='password'] input",
            run: "edit meddev-demo",
        },
        {
            content: "Say why",
            trigger: ".modal div[name='comment'] textarea",
            run: "edit Leave cover agreed with HR",
        },
        {
            content: "Sign",
            trigger: ".modal button[name='action_sign']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='approved']",
        },
        {
            content: "The signature is listed on the request",
            trigger: "div[name='signature_ids'] .o_data_row:contains('Wang Fang')",
        },
    ],
});
