/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * The demo QA manager releases the returned lot of machined screws by her
 * electronic signature; then she opens the EO sterilization job whose process
 * record is out of limits and reads why its lot stays in quarantine: no
 * release is offered.
 */
registry.category("web_tour.tours").add("meddev_demo_outsourcing_release", {
    steps: () => [
        {
            content: "Enter the login qa_manager",
            trigger: ".oe_login_form input[name='login']",
            run: "edit qa_manager",
        },
        {
            content: "Enter the documented demo password",
            trigger: ".oe_login_form input[name='password']",
            run: "edit meddev-demo",
        },
        {
            content: "Sign in",
            trigger: ".oe_login_form button[type='submit']",
            run: "click",
        },
        {
            content: "Open the returned CNC machining job",
            trigger: ".o_data_row:contains('Changzhou Precision'):contains('Returned') td.o_data_cell",
            run: "click",
        },
        {
            content: "Release the lot and sign",
            trigger: ".o_form_statusbar button[name='action_meddev_sign']:contains('Release the Lot')",
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
            run: "edit Record in limits, CoC on file.",
        },
        {
            content: "Sign",
            trigger: ".modal button[name='action_sign']",
            run: "click",
        },
        {
            content: "The lot is released",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='released']",
        },
        {
            content: "Back to the jobs",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the returned EO sterilization job",
            trigger: ".o_data_row:contains('Suzhou Jierui'):contains('Returned') td.o_data_cell",
            run: "click",
        },
        {
            content: "The lot cannot be released: the exposure was at 57 °C",
            trigger: ".alert-warning div[name='release_blockers']:contains('out of the specification'):contains('57')",
        },
        {
            content: "No release is offered",
            trigger: ".o_form_statusbar:not(:has(button:contains('Release the Lot')))",
        },
    ],
});

/**
 * The EO sterilizer's quality manager, on the supplier portal, acknowledges the
 * sterilization job released to his company, enters the cycle record (in
 * limits) and signs its submission with his password.
 */
const cycle = ["46", "65", "18", "52", "600", "5", "10"];
registry.category("web_tour.tours").add("meddev_demo_eo_portal", {
    steps: () => [
        {
            content: "Enter the login supplier_eo",
            trigger: ".oe_login_form input[name='login']",
            run: "edit supplier_eo",
        },
        {
            content: "Enter the documented demo password",
            trigger: ".oe_login_form input[name='password']",
            run: "edit meddev-demo",
        },
        {
            content: "Sign in",
            trigger: ".oe_login_form button[type='submit']",
            run: "click",
        },
        {
            content: "Acknowledge the job",
            trigger: ".o_meddev_job_acknowledge button[type='submit']",
            run: "click",
        },
        {
            content: "Acknowledged",
            trigger: ".o_meddev_job_done",
        },
        ...cycle.map((value, index) => ({
            content: `Cycle value ${index + 1}`,
            trigger: `tr.o_meddev_job_parameter:nth-of-type(${index + 1}) input[name^='value_']`,
            run: `edit ${value}`,
        })),
        {
            content: "Biological indicator: pass",
            trigger: "tr.o_meddev_job_parameter:nth-of-type(8) select[name^='value_']",
            run: "select pass",
        },
        {
            content: "Save the cycle record",
            trigger: "button.o_meddev_job_save_record",
            run: "click",
        },
        {
            content: "The exposure temperature is in limits",
            trigger: "tr.o_meddev_job_parameter:nth-of-type(4) .badge.text-bg-success",
        },
        {
            content: "Sign with the password",
            trigger: ".o_meddev_job_submit_form input[name='password']",
            run: "edit meddev-demo",
        },
        {
            content: "Submit the cycle record",
            trigger: ".o_meddev_job_submit_form button[type='submit']",
            run: "click",
        },
        {
            content: "Submitted",
            trigger: ".o_meddev_job_submitted",
        },
    ],
});
