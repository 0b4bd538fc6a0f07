from odoo import http


class WorkshopRequestController(http.Controller):
    """Public form where an organisation requests a workshop (placeholder)."""
