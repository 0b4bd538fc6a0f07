from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL


class FacilitatorBillableMixin(models.AbstractModel):
    """One billing engine for everything the association bills or pays per
    facilitator: payouts (vendor bills) and fees (customer invoices).

    A model that inherits this mixin is a *payable*: one record becomes one
    journal item. The journal item points back to its payable through a
    Many2one declared on ``account.move.line`` (see ``_billing_line_field``),
    under a partial unique index that ignores cancelled moves: the database
    itself refuses to bill a payable twice, and cancelling the move makes it
    billable again.

    Inheriting models implement the ``_billing_*`` hooks; the engine groups the
    payables into one move per (partner, period, currency) and creates all the
    moves of a run at once.
    """

    _name = "facilitator.billable.mixin"
    _description = "Payout or Fee Billed to a Facilitator"

    billing_line_ids = fields.One2many(
        "account.move.line", compute="_compute_billing_state", string="Journal Items"
    )
    billing_move_id = fields.Many2one(
        "account.move", compute="_compute_billing_state", string="Bill / Invoice"
    )
    is_billed = fields.Boolean(
        compute="_compute_billing_state", search="_search_is_billed", string="Billed"
    )

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    @api.model
    def _billing_line_field(self):
        """Name of the Many2one on account.move.line that points to ``self``."""
        raise NotImplementedError

    @api.model
    def _billing_move_type(self):
        """``'in_invoice'`` for payouts, ``'out_invoice'`` for fees."""
        raise NotImplementedError

    def _billing_key(self):
        """``(partner, period_label, currency)``: payables of one key share a move."""
        raise NotImplementedError

    def _billing_check_partner(self, partner):
        """A sentence saying why ``partner`` cannot be billed now, or ``False``."""
        return False

    def _prepare_billing_line_values(self):
        """Values of the journal item of one payable (name, quantity,
        price_unit, tax_ids, ...). The link to the payable is added by the engine."""
        raise NotImplementedError

    def _prepare_billing_lines_values(self):
        """Values of the journal items of all the payables of ``self``, in
        their order: the engine calls it once per run. Override it to read what
        the payables share (product, labels) once instead of once per payable:
        a run must cost queries per move, never per payable."""
        return [payable._prepare_billing_line_values() for payable in self]

    def _prepare_billing_move_values(self, partner, period, currency):
        """Values of the move grouping ``self`` (all of one key)."""
        return {
            "move_type": self._billing_move_type(),
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": period,
        }

    # ------------------------------------------------------------------
    # State
    # ------------------------------------------------------------------

    def _live_billing_lines(self):
        """Journal items billing ``self`` in moves that are not cancelled."""
        fname = self._billing_line_field()
        return (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                [(fname, "in", self.ids), ("parent_state", "!=", "cancel")], [fname, "move_id"]
            )
        )

    def _compute_billing_state(self):
        fname = self._billing_line_field()
        lines_by_payable = self._live_billing_lines().grouped(fname)
        for payable in self:
            lines = lines_by_payable.get(payable, self.env["account.move.line"])
            payable.billing_line_ids = lines
            payable.billing_move_id = lines[:1].move_id
            payable.is_billed = bool(lines)

    def _search_is_billed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        fname = self._billing_line_field()
        # The query below reads the table: write what the ORM still holds first.
        self.env["account.move.line"].flush_model([fname, "parent_state"])
        billed = SQL(
            "SELECT %s FROM account_move_line WHERE %s IS NOT NULL AND parent_state != 'cancel'",
            SQL.identifier(fname),
            SQL.identifier(fname),
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", billed)]

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------

    def _generate_billing_moves(self):
        """Bill every payable of ``self`` that is not billed yet.

        Running it twice creates nothing new. Payables of a partner that
        ``_billing_check_partner`` refuses are skipped, and the others still
        go through.

        :return: ``(moves, errors)``; ``errors`` maps each refused partner to
            the sentence that says why.
        """
        if not self:
            return self.env["account.move"], {}
        # Serialise concurrent runs on the same payables: the second run waits
        # here. Under REPEATABLE READ it still does not see the first run's
        # bills: the partial unique index on the journal items refuses the
        # duplicate, and Odoo's retry turns that into a clear message.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                SQL.identifier(self._table),
                list(self.ids),
            )
        )
        self.invalidate_recordset(["is_billed", "billing_line_ids", "billing_move_id"])
        payables = self.browse(dict.fromkeys(self.ids))  # each payable once
        fname = self._billing_line_field()
        # What is billed already, in one query: is_billed would be computed
        # PREFETCH_MAX (1,000) payables at a time.
        to_bill = payables - payables._live_billing_lines().mapped(fname)
        # Group by id, then browse each group with the prefetch of the whole
        # run: reading a field of one payable reads it for all of them.
        groups = defaultdict(list)
        for payable in to_bill:
            groups[payable._billing_key()].append(payable.id)
        errors, keys, billable_ids = {}, [], []
        checked = {}
        for key, ids in groups.items():
            partner = key[0]
            if partner not in checked:
                checked[partner] = self._billing_check_partner(partner)
            if checked[partner]:
                errors[partner] = checked[partner]
                continue
            keys.append(key)
            billable_ids += ids
        billable = to_bill.browse(billable_ids).with_prefetch(to_bill._prefetch_ids)
        line_values = {
            payable.id: {**values, fname: payable.id}
            for payable, values in zip(
                billable, billable._prepare_billing_lines_values(), strict=True
            )
        }
        move_values, ordered_payables = [], []
        for key in keys:
            payables = to_bill.browse(groups[key]).with_prefetch(to_bill._prefetch_ids)
            values = payables._prepare_billing_move_values(*key)
            values["invoice_line_ids"] = [
                fields.Command.create(line_values[payable_id]) for payable_id in groups[key]
            ]
            move_values.append(values)
            ordered_payables.append(payables)
        moves = self.env["account.move"].sudo().create(move_values)
        for move, payables in zip(moves, ordered_payables, strict=True):
            move.message_post(
                body=_(
                    "Generated from %(count)s item(s) by %(user)s.",
                    count=len(payables),
                    user=self.env.user.name,
                )
            )
        self.invalidate_recordset(["is_billed", "billing_line_ids", "billing_move_id"])
        return moves, errors
