/** @odoo-module **/
import { registry } from "@web/core/registry";
import { loginSteps } from "./meddev_tour_login";

/**
 * The demo QA manager qualifies the second machining source with her electronic
 * signature, on the evaluation the QA engineer answered and signed.
 */
registry.category("web_tour.tours").add("meddev_supplier_qualify", {
    steps: () => [
        ...loginSteps("qa_manager"),
        {
            content: "Open the machining shop under evaluation",
            trigger: ".o_data_row:contains('Kunshan Medtech') td[name='scope_id']",
            run: "click",
        },
        {
            content: "The completed evaluation recommends qualifying",
            trigger: ".alert div[name='current_evaluation_recommendation']:contains('Qualify')",
        },
        {
            content: "Its checklist is on the Evaluations tab",
            trigger: ".o_notebook a[name='evaluations']",
            run: "click",
        },
        {
            content: "The evaluation is completed, with its score",
            trigger: ".o_field_widget[name='evaluation_ids'] .o_data_row:contains('SE/')",
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
            run: "edit Site audit and EO validation accepted",
        },
        {
            content: "Sign",
            trigger: ".modal button[name='action_sign']",
            run: "click",
        },
        {
            content: "The supplier is qualified",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='qualified']",
        },
    ],
});

/**
 * The demo buyer cannot confirm the order of coated screws from the
 * disqualified plating shop: the server refuses and says why.
 */
registry.category("web_tour.tours").add("meddev_supplier_blocked_po", {
    steps: () => [
        ...loginSteps("buyer"),
        {
            content: "Open the order to the plating shop",
            trigger: ".o_data_row:contains('Shenzhen Rapid Plating') td[name='name']",
            run: "click",
        },
        {
            content: "Try to confirm it",
            trigger: ".o_form_statusbar button[name='button_confirm']:visible",
            run: "click",
        },
        {
            content: "The refusal names the supplier and the missing qualification",
            trigger: ".modal:contains('Shenzhen Rapid Plating'):contains('Coating')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The order is still a request for quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
    ],
});
