"""The shapes of batch codes and order ids, on their own so examples can be made from them."""

from __future__ import annotations

DEFAULT_CODE_PATTERN = r"^[A-Z]{3}-\d{8}-\d{4}$"
ORDER_ID_PATTERN = r"^[A-Z]{5}-\d{8}-\d{4}$"
