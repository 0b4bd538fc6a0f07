from . import crm_routing_rule
from . import res_company
from . import res_config_settings
from . import res_partner
from . import crm_lead
from . import crm_lead_intake
