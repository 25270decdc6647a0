/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * A supplier's portal user on /my: opens the outsourcing job released to it,
 * acknowledges it, enters the process record values and submits them signed
 * with its password.
 */
registry.category("web_tour.tours").add("meddev_outsourcing_portal", {
    url: "/my",
    steps: () => [
        {
            content: "Open the outsourcing jobs from the portal home",
            trigger: ".o_portal_index_card a[href='/my/meddev/jobs']",
            run: "click",
        },
        {
            content: "Open the job released to us",
            trigger: "tr.o_meddev_portal_job a",
            run: "click",
        },
        {
            content: "Acknowledge it",
            trigger: ".o_meddev_job_acknowledge button[type='submit']",
            run: "click",
        },
        {
            content: "Acknowledged",
            trigger: ".o_meddev_job_done",
        },
        {
            content: "Thread outer diameter",
            trigger: "tr.o_meddev_job_parameter[data-parameter='Thread outer diameter'] input[name^='value_']",
            run: "edit 4.52",
        },
        {
            content: "Surface roughness",
            trigger: "tr.o_meddev_job_parameter[data-parameter='Surface roughness Ra'] input[name^='value_']",
            run: "edit 0.4",
        },
        {
            content: "Save the values",
            trigger: "button.o_meddev_job_save_record",
            run: "click",
        },
        {
            content: "Both values in limits",
            trigger: "tr.o_meddev_job_parameter:contains('4.52 mm')",
        },
        {
            content: "Sign with the password",
            trigger: ".o_meddev_job_submit_form input[name='password']",
            run: "edit test_md_job_portal",
        },
        {
            content: "Submit the process record",
            trigger: ".o_meddev_job_submit_form button[type='submit']",
            run: "click",
        },
        {
            content: "Submitted",
            trigger: ".o_meddev_job_submitted",
        },
    ],
});
