/** @odoo-module **/
import { registry } from "@web/core/registry";
import { loginSteps } from "./meddev_tour_login";

/**
 * A demo QA manager signs in through the login form with the documented demo
 * password, opens the Medical Device QMS app and sees her roles.
 */
registry.category("web_tour.tours").add("meddev_login_open_qms", {
    url: "/web/login",
    steps: () => [
        ...loginSteps("qa_manager"),
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Medical Device QMS app",
            trigger: ".o_app[data-menu-xmlid='meddev_base.menu_meddev_root']",
            run: "click",
        },
        {
            content: "The welcome screen names the company and the user's QMS roles",
            trigger: ".o_meddev_welcome .o_meddev_roles:contains('QA Manager'):contains('QA Engineer')",
        },
        {
            content: "The installed suite modules are listed",
            trigger: ".o_meddev_welcome .o_meddev_modules:contains('Medical Device QMS: Base')",
        },
        {
            content: "The QMS menu bar is shown",
            trigger: ".o_main_navbar .o_menu_brand:contains('Medical Device QMS')",
        },
    ],
});
