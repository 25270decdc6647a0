/** @odoo-module **/
import { registry } from "@web/core/registry";

/** Set the value of a form input the browser's own widget fills (date, file). */
function setValue(value) {
    return function () {
        this.anchor.value = value;
        this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

/**
 * A supplier's portal user on /my: its qualifications and certificates, the
 * upload of a renewed certificate (pending QA review), the reply to an audit
 * finding and a change notice.
 */
registry.category("web_tour.tours").add("meddev_supplier_portal", {
    url: "/my",
    steps: () => [
        {
            content: "Open the qualifications from the portal home",
            trigger: ".o_portal_index_card a[href='/my/meddev/qualifications']",
            run: "click",
        },
        {
            content: "The EO sterilization qualification, with its risk class",
            trigger: "tr.o_meddev_portal_qualification:contains('EO'):contains('A - Critical')",
        },
        {
            content: "Back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the certificates",
            trigger: ".o_portal_index_card a[href='/my/meddev/certificates']",
            run: "click",
        },
        {
            content: "Open the ISO 13485 certificate",
            trigger: "tr.o_meddev_portal_certificate a:contains('Q5 TOUR OLD')",
            run: "click",
        },
        {
            content: "Upload its renewal",
            trigger: "a.o_meddev_renew",
            run: "click",
        },
        {
            content: "Certificate number",
            trigger: ".o_meddev_renew_form input[name='number']",
            run: "edit Q5 TOUR NEW",
        },
        {
            content: "Issued on",
            trigger: ".o_meddev_renew_form input[name='issue_date']",
            run: setValue("2026-11-01"),
        },
        {
            content: "Expires on",
            trigger: ".o_meddev_renew_form input[name='expiry_date']",
            run: setValue("2029-10-31"),
        },
        {
            content: "The certificate as a PDF",
            trigger: ".o_meddev_renew_form input[name='attachment']",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4 renewed"], "iso13485-2029.pdf", {
                        type: "application/pdf",
                    })
                );
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Submit it for review",
            trigger: ".o_meddev_renew_form button[type='submit']",
            run: "click",
        },
        {
            content: "The renewal is pending review",
            trigger: ".o_meddev_portal_record:contains('Q5 TOUR NEW') .alert-warning",
        },
        {
            content: "Open the audits",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the audits list",
            trigger: ".o_portal_index_card a[href='/my/meddev/audits']",
            run: "click",
        },
        {
            content: "Open the reported audit",
            trigger: "tr.o_meddev_portal_audit a",
            run: "click",
        },
        {
            content: "Open the finding addressed to us",
            trigger: "tr.o_meddev_portal_finding a:contains('Biological indicators')",
            run: "click",
        },
        {
            content: "Root cause",
            trigger: ".o_meddev_reply_form textarea[name='root_cause']",
            run: "edit No BI log form at the chamber.",
        },
        {
            content: "Correction",
            trigger: ".o_meddev_reply_form textarea[name='correction']",
            run: "edit Logs rebuilt from the load records.",
        },
        {
            content: "Corrective action",
            trigger: ".o_meddev_reply_form textarea[name='corrective_action']",
            run: "edit BI log form added to SOP-EO-07.",
        },
        {
            content: "Submit the reply",
            trigger: ".o_meddev_reply_form button[type='submit']",
            run: "click",
        },
        {
            content: "The reply went to QA",
            trigger: ".o_meddev_reply_sent",
        },
        {
            content: "Back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the change notices",
            trigger: ".o_portal_index_card a[href='/my/meddev/change_notices']",
            run: "click",
        },
        {
            content: "Notify a change",
            trigger: "a.o_meddev_new_change_notice",
            run: "click",
        },
        {
            content: "Type of change",
            trigger: ".o_meddev_change_notice_form select[name='change_type']",
            run: "select equipment",
        },
        {
            content: "What changes",
            trigger: ".o_meddev_change_notice_form textarea[name='description']",
            run: "edit New EO chamber (chamber 3).",
        },
        {
            content: "Why",
            trigger: ".o_meddev_change_notice_form textarea[name='reason']",
            run: "edit Capacity.",
        },
        {
            content: "Affected products",
            trigger: ".o_meddev_change_notice_form textarea[name='affected_products']",
            run: "edit Sterile syringe 5 ml",
        },
        {
            content: "Planned change date",
            trigger: ".o_meddev_change_notice_form input[name='planned_date']",
            run: setValue("2027-01-15"),
        },
        {
            content: "The EO sterilization scope",
            trigger: ".o_meddev_change_notice_form input[name='scope_ids']",
            run: "check",
        },
        {
            content: "Submit the change notice",
            trigger: ".o_meddev_change_notice_form button[type='submit']",
            run: "click",
        },
        {
            content: "The notice is received by QA",
            trigger: ".o_meddev_portal_record .o_meddev_notice_state:contains('Received')",
        },
    ],
});
