import { registry } from "@web/core/registry";

// Data: tests/test_fee_portal.py creates the facilitator "Ana Fee" and the
// client-introduction opportunity "Fee Tour Reykjavik" she coordinated.
// Company rates: usage fee 10%, business contribution 5%.

const tours = registry.category("web_tour.tours");

tours.add("cfn_fee_declare", {
    url: "/my/fee-declarations",
    steps: () => [
        {
            content: "Start a new declaration",
            trigger: "a.o_cfn_fee_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Declare usage fees and business contribution",
            trigger: "select[name=category]",
            run: "select usage_contribution",
        },
        {
            content: "Choose the opportunity",
            trigger: "select[name=lead_id]",
            run: "selectByLabel Fee Tour Reykjavik",
        },
        {
            content: "Type the amount invoiced, excluding tax",
            trigger: "input[name=amount_invoiced]",
            run: "edit 12500",
        },
        {
            content: "No submit button before the preview",
            trigger: ".o_cfn_fee_form:not(:has(.o_cfn_fee_submit))",
        },
        {
            content: "Preview the fees",
            trigger: "button.o_cfn_fee_preview_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The usage fee is computed (10%)",
            trigger: ".o_cfn_fee_preview .o_cfn_fee_usage:contains('1,250.00')",
        },
        {
            content: "The business contribution is computed (5%)",
            trigger: ".o_cfn_fee_preview .o_cfn_fee_contribution:contains('625.00')",
        },
        {
            content: "The total fee is shown before submitting",
            trigger: ".o_cfn_fee_preview .o_cfn_fee_total:contains('1,875.00')",
        },
        {
            content: "Submit",
            trigger: "button.o_cfn_fee_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The declaration is listed with its fee",
            trigger: "tr.o_cfn_fee_row:contains('Fee Tour Reykjavik') .o_cfn_fee_amount:contains('1,875.00')",
        },
        {
            content: "Submitted",
            trigger: ".o_cfn_fee_message",
        },
    ],
});

tours.add("cfn_fee_bad_amount", {
    url: "/my/fee-declarations/new",
    steps: () => [
        {
            content: "Declare usage fees",
            trigger: "select[name=category]",
            run: "select usage",
        },
        {
            content: "Type a negative amount",
            trigger: "input[name=amount_invoiced]",
            run: "edit -500",
        },
        {
            content: "Preview",
            trigger: "button.o_cfn_fee_preview_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The amount is refused with a message",
            trigger: ".o_cfn_fee_error:contains('cannot be negative')",
        },
        {
            content: "Nothing to submit",
            trigger: ".o_cfn_fee_form:not(:has(.o_cfn_fee_submit)):not(:has(.o_cfn_fee_preview))",
        },
        {
            content: "Type something that is not a number",
            trigger: "input[name=amount_invoiced]",
            run: "edit twelve thousand",
        },
        {
            content: "Preview",
            trigger: "button.o_cfn_fee_preview_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The amount is refused with a message",
            trigger: ".o_cfn_fee_error:contains('as a number')",
        },
        {
            content: "Type an absurd amount",
            trigger: "input[name=amount_invoiced]",
            run: "edit 99999999999",
        },
        {
            content: "Preview",
            trigger: "button.o_cfn_fee_preview_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The amount is refused with a message",
            trigger: ".o_cfn_fee_error:contains('over 10,000,000')",
        },
    ],
});
