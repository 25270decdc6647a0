/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * A supplier's portal user on /my: opens the SCAR issued to it, writes the
 * 8D answer (D1–D8), saves it and submits it signed with its password.
 */
const ANSWER = {
    d1_team: "Quality manager Zhou Lei, sterilization engineer, operator",
    d2_problem: "EO concentration below 450 mg/L during exposure of lot EO-2611",
    d3_containment: "Lot quarantined; other lots of the chamber checked",
    d4_root_cause: "EO vaporizer heater drifted: calibration overdue",
    d5_corrective_actions: "Heater replaced and calibrated; interval shortened",
    d6_verification: "Three cycles run within limits, BI negative",
    d7_prevention: "Calibration in the preventive maintenance plan, alarm on EO low",
    d8_recognition: "Team thanked at the monthly meeting",
};

registry.category("web_tour.tours").add("meddev_scar_portal", {
    url: "/my",
    steps: () => [
        {
            content: "Open the corrective action requests from the portal home",
            trigger: ".o_portal_index_card a[href='/my/meddev/scars']",
            run: "click",
        },
        {
            content: "Open the SCAR issued to us",
            trigger: "tr.o_meddev_portal_scar a",
            run: "click",
        },
        ...Object.entries(ANSWER).map(([field, text]) => ({
            content: `Answer ${field}`,
            trigger: `.o_meddev_scar_d[data-field='${field}'] textarea`,
            run: `edit ${text}`,
        })),
        {
            content: "Save the answer",
            trigger: "button.o_meddev_scar_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_meddev_scar_done",
        },
        {
            content: "Sign with the password",
            trigger: ".o_meddev_scar_submit_form input[name='password']",
            run: "edit test_md_scar_portal",
        },
        {
            content: "Submit the 8D answer",
            trigger: "button.o_meddev_scar_submit",
            run: "click",
        },
        {
            content: "Submitted",
            trigger: ".o_meddev_scar_submitted",
        },
    ],
});
