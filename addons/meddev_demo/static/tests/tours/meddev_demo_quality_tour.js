/** @odoo-module **/
import { registry } from "@web/core/registry";
import { loginSteps } from "@meddev_suite/tests/tours/meddev_tour_login";

const LINES = ".o_field_widget[name='inspection_lines']";
const DEFECTS = ".o_field_widget[name='defect_ids']";

/** Steps entering a measured value on the question ``question``. */
function measure(question, value) {
    const cell = `${LINES} .o_data_row:contains('${question}') td[name='quantitative_value']`;
    return [
        {
            content: `Measure: ${question}`,
            trigger: cell,
            run: "click",
        },
        {
            content: `${question}: ${value}`,
            trigger: `${cell} input`,
            run: `edit ${value}`,
        },
    ];
}

/**
 * The demo QC inspector opens the inspection of the second returned lot of
 * machined screws (500 screws: code letter H; the major class's plan points
 * down to n = 80, the sample taken), enters the measurements and the visual check, records the one screw with a burr as a
 * minor defect of the burr question, and signs the result with her password.
 * The result then awaits the QA engineer's review.
 */
registry.category("web_tour.tours").add("meddev_demo_quality_inspection", {
    steps: () => [
        ...loginSteps("inspector"),
        {
            content: "Open the inspection of the returned lot CZ-2612-0042",
            trigger: ".o_data_row:contains('CZ-2612-0042') td.o_data_cell",
            run: "click",
        },
        {
            content: "500 screws: code letter H, a sample of 80",
            trigger: ".o_field_widget[name='code_letter']:contains('H')",
        },
        {
            content: "The sample size",
            trigger: ".o_field_widget[name='sample_size']:contains('80')",
        },
        ...measure("Thread outer diameter", "4.49"),
        ...measure("Length", "39.97"),
        ...measure("Surface roughness Ra", "0.61"),
        {
            content: "Check the burrs",
            trigger: `${LINES} .o_data_row:contains('Burrs') td[name='qualitative_value']`,
            run: "click",
        },
        {
            content: "One screw has a burr",
            trigger: `${LINES} .o_data_row:contains('Burrs') td[name='qualitative_value'] input`,
            run: "edit Burrs found",
        },
        {
            content: "Choose the answer",
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Burrs found')",
            run: "click",
        },
        {
            content: "The answer is in the row",
            trigger: `${LINES} .o_data_row:contains('Burrs') td[name='qualitative_value']:contains('Burrs found')`,
        },
        {
            // leave the row being edited before its list is hidden: a list
            // patched while its page is switched has no table to focus
            content: "Leave the questions' row",
            trigger: ".o_form_sheet h1 .o_form_label",
            run: "click",
        },
        {
            content: "No question row in edition",
            trigger: `${LINES}:not(:has(.o_selected_row))`,
        },
        {
            content: "Open the defects",
            trigger: ".o_notebook a[name='meddev_defects']",
            run: "click",
        },
        {
            content: "The defects' page is shown",
            trigger: `${DEFECTS} .o_field_x2many_list_row_add a`,
        },
        {
            content: "Add a defect",
            trigger: `${DEFECTS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "A minor defect",
            trigger: `${DEFECTS} .o_data_row td[name='defect_class'] select`,
            run: 'select "minor"',
        },
        {
            content: "What was found",
            trigger: `${DEFECTS} .o_data_row td[name='name'] input`,
            run: "edit Burr at the thread run-out, 1 screw",
        },
        {
            content: "Of the burr question",
            trigger: `${DEFECTS} .o_data_row td[name='line_id'] input`,
            run: "edit Burrs",
        },
        {
            content: "Choose the question",
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Burrs')",
            run: "click",
        },
        {
            content: "The lot is accepted on the counts: 1 minor defective (Ac 3)",
            trigger: ".o_field_widget[name='meddev_decision']:contains('Accept')",
        },
        {
            content: "Sign the result",
            trigger: ".o_form_statusbar button[name='action_meddev_sign']:contains('Sign the Result')",
            run: "click",
        },
        {
            content: "Re-enter the password",
            trigger: ".modal div[name='password'] input",
            run: "edit meddev-demo",
        },
        {
            content: "Say what was done",
            trigger: ".modal div[name='comment'] textarea",
            run: "edit 80 screws measured and checked; 1 minor burr.",
        },
        {
            content: "Sign",
            trigger: ".modal button[name='action_sign']",
            run: "click",
        },
        {
            content: "The result awaits the QA engineer's review",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='recorded']",
        },
    ],
});
