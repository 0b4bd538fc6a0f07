import { registry } from "@web/core/registry";

// Data: tests/test_subcontracting_portal.py (the coordinator of
// "Tour Delivery Lyon", with one planned session).

registry.category("web_tour.tours").add("cfn_portal_delivery", {
    url: "/my/deliveries",
    steps: () => [
        {
            content: "The coordinated opportunity is listed with its checklist",
            trigger: `.o_cfn_delivery_lead:contains("Tour Delivery Lyon") .o_cfn_checklist`,
        },
        {
            content: "Tick 'Team formed'",
            trigger: `.o_cfn_delivery_lead:contains("Tour Delivery Lyon") input[name=coordination_team_formed]`,
            run: "click",
        },
        {
            content: "Save the checklist",
            trigger: `.o_cfn_delivery_lead:contains("Tour Delivery Lyon") .o_cfn_checklist_save`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The checklist is saved",
            trigger: `.o_cfn_delivery_message`,
        },
        {
            content: "Type the number of attendees",
            trigger: `.o_cfn_session_row .o_cfn_confirm_delivery input[name=attendee_count]`,
            run: "edit 17",
        },
        {
            content: "Confirm the delivery",
            trigger: `.o_cfn_session_row .o_cfn_confirm_button`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The session is delivered",
            trigger: `.o_cfn_delivery_message`,
        },
        {
            content: "The session shows its attendees",
            trigger: `.o_cfn_session_row:has(.o_cfn_state_delivered):contains("17")`,
        },
    ],
});
