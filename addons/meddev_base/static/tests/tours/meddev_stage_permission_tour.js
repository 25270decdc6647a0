/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * The QMS administrator adds a state to a stage permission by picking it
 * among the states of its document type, and saves.
 */
registry.category("web_tour.tours").add("meddev_stage_permission_states", {
    steps: () => [
        {
            content: "The permission allows the action from the submitted state",
            trigger: "div[name='from_state_ids'] .o_tag:contains('Submitted')",
        },
        {
            content: "Open the states of the document type",
            trigger: "div[name='from_state_ids'] input",
            run: "click",
        },
        {
            content: "Pick the draft state",
            trigger: ".o-autocomplete--dropdown-item:contains('Draft')",
            run: "click",
        },
        {
            content: "The state is added",
            trigger: "div[name='from_state_ids'] .o_tag:contains('Draft')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_status_indicator_buttons.invisible:not(:visible)",
        },
    ],
});
