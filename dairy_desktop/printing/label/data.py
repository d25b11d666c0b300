"""What a batch label says, decided without Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from dairy_desktop.barcodes.gs1_encode import Gs1Element, gs1_label_choices
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
    gs1_choices: tuple[tuple[Gs1Element, ...], ...]
    """What the GS1-128 may carry, fullest first: the renderer prints the first that fits
    the label's width. Empty when the code cannot go into GS1 (see gs1_refusal)."""
    gs1_refusal: str | None


def build_label(batch: Batch, zone: tzinfo) -> BatchLabel:
    """Label facts for `batch` in the plant's zone.

    The volume is the volume received, not what is left: a label stays on the tank for the
    batch's life and must not go stale as milk is drawn. (17) is the local expiry date and
    (7003) the local expiry date and time, to the minute: milk expires at an hour, and a
    scanner compares it with the plant's clock; on a narrow label the litres, then the hour,
    give way. A code GS1 cannot carry still gets a label, with its Code 128 and a note
    instead of GS1.
    """
    expires_local = as_utc(batch.expires_at).astimezone(zone)
    try:
        choices = gs1_label_choices(batch.code, expires_local, batch.initial_liters)
        refusal = None
    except InvalidInput as exc:
        choices, refusal = (), str(exc)
    return BatchLabel(
        code=batch.code,
        received_text=local_time_text(batch.received_at, zone),
        expires_text=local_time_text(batch.expires_at, zone),
        volume_text=liters_text(batch.initial_liters),
        fat_text=fat_text(batch.fat_percent),
        gs1_choices=choices,
        gs1_refusal=refusal,
    )
