/** @odoo-module **/

/**
 * The steps that sign a demo user in through the login form with the
 * documented demo password.
 */
export function loginSteps(login) {
    return [
        {
            content: `Enter the login ${login}`,
            trigger: ".oe_login_form input[name='login']",
            run: `edit ${login}`,
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
    ];
}
