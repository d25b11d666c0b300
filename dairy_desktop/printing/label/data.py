"""What a batch label says, decided without Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from dairy_desktop.barcodes.gs1_encode import (
    Gs1Element,
    element_string,
    gs1_label_elements,
    human_readable,
)
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.text_format import fat_text, liters_text, local_time_text


@dataclass(frozen=True, slots=True)
class BatchLabel:
    code: str
    received_text: str
    expires_text: str
    volume_text: str
    fat_text: str
    gs1_elements: tuple[Gs1Element, ...]
    gs1_refusal: str | None

    @property
    def gs1_payload(self) -> str | None:
        return element_string(self.gs1_elements) if self.gs1_elements else None

    @property
    def gs1_text(self) -> str:
        return human_readable(self.gs1_elements)


def build_label(batch: Batch, zone: tzinfo) -> BatchLabel:
    """Label facts for `batch` in the plant's zone.

    The volume is the volume received, not what is left: a label stays on the tank for the
    batch's life and must not go stale as milk is drawn. (17) is the local expiry date.
    A code GS1 cannot carry still gets a label, with its Code 128 and a note instead of GS1.
    """
    expiry_day = as_utc(batch.expires_at).astimezone(zone).date()
    try:
        elements = gs1_label_elements(batch.code, expiry_day, batch.initial_liters)
        refusal = None
    except InvalidInput as exc:
        elements, refusal = (), str(exc)
    return BatchLabel(
        code=batch.code,
        received_text=local_time_text(batch.received_at, zone),
        expires_text=local_time_text(batch.expires_at, zone),
        volume_text=liters_text(batch.initial_liters),
        fat_text=fat_text(batch.fat_percent),
        gs1_elements=elements,
        gs1_refusal=refusal,
    )
