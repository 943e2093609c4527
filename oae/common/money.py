"""Amounts of money as the active language writes them: "−1.778,00 €" in Catalan, "−1,778.00 €"
in English (grouped digits, a true minus sign, a non-breaking space before the currency)."""

from decimal import Decimal

from django.utils.formats import number_format

MINUS = "\u2212"
NO_BREAK_SPACE = "\u00a0"


def format_amount(amount, decimals: int = 2) -> str:
    """The number alone ("−1.778,00"), for a sentence that writes the currency itself."""
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-decimals))
    text = number_format(abs(value), decimals, use_l10n=True, force_grouping=True)
    return f"{MINUS if value < 0 else ''}{text}"


def format_money(amount, decimals: int = 2, currency: str = "€") -> str:
    """`amount` (Decimal, float, int or its text) with `decimals` places and the currency."""
    return f"{format_amount(amount, decimals)}{NO_BREAK_SPACE}{currency}"
