/** @odoo-module **/
import { Component, onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Landing screen of the Medical Device QMS app: who you are in the QMS (your
 * roles), for which company, your own work (signatures waiting, overdue
 * items... counted on the server under your record rules, each opening the
 * records) and which modules of the suite are installed.
 */
export class MeddevWelcome extends Component {
    static template = "meddev_base.Welcome";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        onWillStart(async () => {
            this.data = await this.orm.call("res.users", "meddev_welcome_data", []);
        });
    }

    openItem(item) {
        return this.action.doAction(item.action);
    }
}

registry.category("actions").add("meddev_welcome", MeddevWelcome);
