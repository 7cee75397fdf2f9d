"""A small price table to estimate what a call cost (euros per million tokens, input and output).

Estimates only, for the usage view and the audit trail: the provider's invoice is the reference.
A model is matched by its longest known prefix; an unknown (often self-hosted) model gets DEFAULT.
"""

from __future__ import annotations

# model prefix -> (euros per million prompt tokens, euros per million completion tokens)
PRICES_EUR_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.14, 0.55),
    "gpt-4o": (2.30, 9.20),
    "gpt-4.1-nano": (0.09, 0.37),
    "gpt-4.1-mini": (0.37, 1.47),
    "gpt-4.1": (1.84, 7.36),
    "mistral-small": (0.09, 0.28),
    "mistral-medium": (0.37, 1.84),
    "mistral-large": (1.84, 5.52),
    "open-mistral-nemo": (0.14, 0.14),
}
DEFAULT_EUR_PER_MILLION: tuple[float, float] = (0.50, 1.50)


def price_of(model: str) -> tuple[float, float]:
    name = model.lower()
    matches = [prefix for prefix in PRICES_EUR_PER_MILLION if name.startswith(prefix)]
    return PRICES_EUR_PER_MILLION[max(matches, key=len)] if matches else DEFAULT_EUR_PER_MILLION


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    """The estimated cost of one call, in euros (rounded to the hundredth of a cent)."""
    prompt_price, completion_price = price_of(model)
    return round((prompt_tokens * prompt_price + completion_tokens * completion_price) / 1_000_000, 4)
