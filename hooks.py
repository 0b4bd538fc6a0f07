def post_init_hook(env):
    """Route the leads that existed before the addon: its rules were not
    loaded yet when the routing columns were first computed."""
    env["crm.lead"].with_context(active_test=False).search([])._recompute_routing()
