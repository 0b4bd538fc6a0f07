from . import crm_lead_routing_override
from . import fee_invoicing_wizard
from . import facilitator_payout_wizard
