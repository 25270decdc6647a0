/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * The QA manager's welcome screen counts the temporary role request waiting
 * for her signature; the count opens the requests it counts.
 */
registry.category("web_tour.tours").add("meddev_welcome_work", {
    steps: () => [
        {
            content: "The signatures waiting for the user are counted",
            trigger:
                ".o_meddev_work_sign .o_meddev_work_item[data-key='sign:meddev.role.grant:approve'] .o_meddev_work_count",
            run() {
                const count = parseInt(this.anchor.textContent, 10);
                if (!(count >= 1)) {
                    throw new Error(`expected a count of requests, got ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "Open the requests waiting for the signature",
            trigger: ".o_meddev_work_item[data-key='sign:meddev.role.grant:approve']",
            run: "click",
        },
        {
            content: "The list shows the submitted request",
            trigger: ".o_list_view .o_data_row:contains('Welcome Planner')",
        },
    ],
});
