from . import crm_lead_routing_override
