"""What the scanner test page says about one burst: what came, and what to change."""

from __future__ import annotations

from dataclasses import dataclass

from dairy_desktop.ui.scanner.burst import BurstReport, Outcome
from dairy_desktop.ui.scanner.wedge_settings import Marker, WedgeSettings

# A key this close before a burst was sent by the scanner with it, not by a person.
_SENT_WITH_IT_MS = 150


@dataclass(frozen=True, slots=True)
class LoneKey:
    """A non-character key that reached the test page itself (F12, Enter, an arrow)."""

    name: str
    stamp: int
    marker: Marker | None


def describe(report: BurstReport) -> str:
    gaps = [k.gap_ms for k in report.keys if k.gap_ms is not None]
    timing = (f"gaps {min(gaps):.0f}–{max(gaps):.0f} ms" if gaps else "one key") + (
        "" if all(k.from_timestamps for k in report.keys[1:]) else " (as handled)"
    )
    verdict = {
        Outcome.SCAN: "recognised as a scan",
        Outcome.TYPING: "taken as typing",
        Outcome.DISCARDED: "dropped",
    }[report.outcome]
    start = "prefix, " if report.prefixed else ""
    end = f", then {report.ended_by}" if report.ended_by else ""
    shown = "".join(k.text for k in report.keys)
    return f"{start}'{shown}'{end}: {len(report.keys)} keys, {timing} — {verdict} ({report.why})"


def per_key(report: BurstReport) -> str:
    """Each key with the time since the one before, e.g. ``S +0 C +3 H +4``."""
    return " ".join(
        f"{k.text}{'' if k.gap_ms is None else f' +{k.gap_ms:.0f}'}" for k in report.keys
    )


def advise(report: BurstReport, before: list[LoneKey], settings: WedgeSettings) -> str:
    """One suggestion, or a confirmation that the settings suit this scanner."""
    marker = _marker_sent_first(report, before)
    if marker is not None and settings.prefix is None:
        return (
            f"Your scanner sends {marker.label} first: turn on prefix mode with {marker.label} "
            "and scans are recognised however busy the PC is."
        )
    gaps = [k.gap_ms for k in report.keys if k.gap_ms is not None]
    if report.outcome is Outcome.SCAN:
        slowest = max(gaps, default=0.0)
        if settings.prefix is None and slowest > settings.max_gap_ms * 0.7:
            return (
                f"Recognised, but keys came up to {slowest:.0f} ms apart, close to the limit "
                f"({settings.max_gap_ms} ms): raise the max gap a little."
            )
        return "Recognised: these settings suit this scanner."
    if len(report.keys) < settings.min_length and report.ended_by:
        return (
            f"Only {len(report.keys)} characters came before {report.ended_by}; the minimum "
            f"is {settings.min_length}. Lower it if your codes are that short."
        )
    if not report.ended_by:
        if len(gaps) >= 2 and sorted(gaps)[len(gaps) // 2] <= settings.max_gap_ms:
            return (
                "The characters came fast but no terminator was recognised: set the scanner "
                "to send Enter after the data, or tick the terminator it sends."
            )
        slowest = max(gaps, default=0.0)
        return (
            f"Keys came up to {slowest:.0f} ms apart, more than the max gap "
            f"({settings.max_gap_ms} ms): raise it to about {slowest + 10:.0f} ms, or use "
            "prefix mode."
        )
    return "Not recognised: check the terminator and the timing above."


def _marker_sent_first(report: BurstReport, before: list[LoneKey]) -> Marker | None:
    """A prefix-capable key sent just before the data. ``before`` holds the lone keys since
    the previous burst; with timestamps on both sides, only one this close counts."""
    if report.prefixed or not before:
        return None
    last = before[-1]
    if last.marker is None:
        return None
    if last.stamp and report.started_stamp:
        return last.marker if 0 <= report.started_stamp - last.stamp <= _SENT_WITH_IT_MS else None
    return last.marker
