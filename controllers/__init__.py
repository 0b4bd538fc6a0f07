from . import intake
from . import portal
from . import portal_fee
from . import portal_delivery
