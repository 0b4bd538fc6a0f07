import { registry } from "@web/core/registry";

// Data: tests/test_portal_tours.py creates the facilitators and the
// opportunities ("Tour Workshop Reykjavik": client introduction, Iceland;
// "Tour Workshop Paris": subcontracting, France).

const tours = registry.category("web_tour.tours");
const REYKJAVIK = "Tour Workshop Reykjavik";

tours.add("cfn_portal_apply", {
    url: "/my/pending-opportunities",
    steps: () => [
        {
            content: "Both groups are listed before filtering",
            trigger: `tr.o_cfn_pending_row:contains("Tour Workshop Paris") .o_cfn_group[data-group="subcontracting"]`,
        },
        {
            content: "Filter on the client introduction group",
            trigger: ".o_cfn_pending_filters select[name=group]",
            run: "select client_introduction",
        },
        {
            content: "Filter on Iceland",
            trigger: ".o_cfn_pending_filters select[name=country]",
            run: "selectByLabel Iceland",
        },
        {
            content: "Apply the filters",
            trigger: ".o_cfn_filter_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Only client introduction opportunities are left",
            trigger: `.o_portal_my_doc_table:not(:has(.o_cfn_group[data-group="subcontracting"]))`,
        },
        {
            content: "The Reykjavik opportunity shows its group",
            trigger: `tr.o_cfn_pending_row:contains("${REYKJAVIK}") .o_cfn_group[data-group="client_introduction"]`,
        },
        {
            content: "Apply",
            trigger: `tr.o_cfn_pending_row:contains("${REYKJAVIK}") a.o_cfn_apply`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The card shows no client details",
            trigger: `.o_cfn_lead_card:contains("${REYKJAVIK}"):not(:contains("Client Tour ehf"))`,
        },
        {
            content: "Motivation",
            trigger: "textarea[name=motivation]",
            run: "edit I have facilitated twenty workshops in Iceland.",
        },
        {
            content: "Availability",
            trigger: "textarea[name=availability]",
            run: "edit Weekdays in June",
        },
        {
            content: "Send the application",
            trigger: ".o_cfn_apply_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirmation",
            trigger: ".o_cfn_applied_confirmation",
        },
        {
            content: "Go to my coordination opportunities",
            trigger: `.o_cfn_applied_confirmation a[href="/my/coordination-opportunities"]`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The application is listed, submitted, with its group",
            trigger: `tr.o_cfn_application_row:contains("${REYKJAVIK}"):contains("Submitted") .o_cfn_group[data-group="client_introduction"]`,
        },
    ],
});

tours.add("cfn_portal_below_level", {
    url: "/my/pending-opportunities",
    steps: () => [
        {
            content: "The reason is shown instead of the Apply button",
            trigger: `tr.o_cfn_pending_row:contains("${REYKJAVIK}") .o_cfn_blocker:contains("level")`,
        },
        {
            content: "No Apply button on that row",
            trigger: `tr.o_cfn_pending_row:contains("${REYKJAVIK}"):not(:has(a.o_cfn_apply))`,
        },
        {
            content: "Open the opportunity",
            trigger: `tr.o_cfn_pending_row:contains("${REYKJAVIK}") a.o_cfn_lead_title`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The reason is shown instead of the form",
            trigger: `.o_cfn_pending_opportunity:not(:has(.o_cfn_apply_form)) .o_cfn_blocker:contains("level")`,
        },
    ],
});

tours.add("cfn_portal_coordinator", {
    url: "/my/coordination-opportunities",
    steps: () => [
        {
            content: "The coordination is listed with its group",
            trigger: `.o_cfn_coordinations tr.o_cfn_coordination_row:contains("${REYKJAVIK}") .o_cfn_group[data-group="client_introduction"]`,
        },
        {
            content: "Open it",
            trigger: `.o_cfn_coordinations tr.o_cfn_coordination_row:contains("${REYKJAVIK}") a`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Client introduction: the coordinator contacts the client",
            trigger: `.o_cfn_client_note:contains("you contact the client")`,
        },
        {
            content: "The client's contact details are shown",
            trigger: `.o_cfn_client_details .o_cfn_client_email:contains("helga@client-tour.example")`,
        },
        {
            content: "The coordinator is in the team",
            trigger: `.o_cfn_team_row:contains("Bella Blue"):contains("Coordinator"):contains("Accepted")`,
        },
    ],
});

tours.add("cfn_portal_invite", {
    url: "/my/coordination-opportunities",
    steps: () => [
        {
            content: "Open the coordination",
            trigger: `.o_cfn_coordinations tr.o_cfn_coordination_row:contains("${REYKJAVIK}") a`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Search the facilitators serving Iceland",
            trigger: ".o_cfn_invite_search select[name=country]",
            run: "selectByLabel Iceland",
        },
        {
            content: "Search",
            trigger: ".o_cfn_invite_search_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the role",
            trigger: `tr.o_cfn_candidate_row:contains("Tina Team") select[name=role]`,
            run: "select facilitator",
        },
        {
            content: "Invite",
            trigger: `tr.o_cfn_candidate_row:contains("Tina Team") .o_cfn_invite_submit`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Invitation sent",
            trigger: ".o_cfn_message",
        },
        {
            content: "The invitee is in the team, invited",
            trigger: `.o_cfn_team_row:contains("Tina Team"):contains("Facilitator"):contains("Invited")`,
        },
    ],
});

tours.add("cfn_portal_accept", {
    url: "/my/coordination-opportunities",
    steps: () => [
        {
            content: "The invitation is listed with its group",
            trigger: `tr.o_cfn_membership_row:contains("${REYKJAVIK}"):contains("Invited") .o_cfn_group[data-group="client_introduction"]`,
        },
        {
            content: "Accept",
            trigger: `tr.o_cfn_membership_row:contains("${REYKJAVIK}") .o_cfn_accept`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirmation",
            trigger: ".o_cfn_message",
        },
        {
            content: "The membership is accepted",
            trigger: `tr.o_cfn_membership_row:contains("${REYKJAVIK}"):contains("Accepted"):not(:has(.o_cfn_accept))`,
        },
    ],
});
