"""The main window's data side: connecting (and retrying), loading, the change-token poll and
live updates.

It owns no widgets. Work runs through the TaskRunner: each worker gets plain values and
returns plain values, and only this object's callbacks, on the GUI thread, touch the model.
What the window should show is announced by signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timedelta
from html import escape as html_escape
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from dairy_desktop.config.local_settings import with_stored_password
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.clock_offset import describe_offset
from dairy_desktop.domain.errors import DairyError, DatabaseUnavailable
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.actor import Actor
from dairy_desktop.ui.main.batch_rows import BatchRowView, classify
from dairy_desktop.ui.main.batch_table_model import BatchTableModel
from dairy_desktop.ui.main.connection_text import describe_database
from dairy_desktop.ui.main.live_bridge import LiveBridge
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.time_format import local_time_text, set_display_zone

if TYPE_CHECKING:
    from dairy_desktop.services.queries import BatchListing
    from dairy_desktop.services.session import AppSession

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 3_000
RETRY_INTERVAL_MS = 5_000
CLOCK_INTERVAL_MS = 60_000
PUSH_DEBOUNCE_MS = 50
FIRST_SCREEN_ROWS = 200

OpenSession = Callable[[str, Actor], "AppSession"]
KeepPlace = Callable[[], AbstractContextManager[None]]
Tokens = tuple[int, str]  # (batch change token, plant settings token)


def open_app_session(url: str, actor: Actor) -> AppSession:
    # Imported here, on the worker thread: SQLAlchemy's import must not delay the window.
    from dairy_desktop.services.session import AppSession

    # The stored password is merged in here too, for the same reason (config/local_settings).
    return AppSession.open(with_stored_password(url), actor)


class _Loaded(NamedTuple):
    listing: BatchListing
    clock_offset: timedelta  # server − PC, measured just before the listing
    tokens: Tokens
    rows: list[BatchRowView]
    near_days: int
    complete: bool  # False: only the first screenful


class _Polled(NamedTuple):
    clock_offset: timedelta
    tokens: Tokens
    changes: tuple[int, list[Batch]] | None  # None: plant settings changed, reload all


class WindowController(QObject):
    """`keep_place()` wraps each model update so the view keeps its selection and scroll;
    `horizon()` is the near-expiry horizon the operator has chosen."""

    connected = Signal()
    loaded = Signal()
    connection_text = Signal(str)  # for the status bar: which database, live or not
    unavailable = Signal(str)  # the banner's words: why not connected, and since when
    available = Signal()  # the banner can go
    # (previous, current) PlantSettings, and whether this is the first listing's
    settings_changed = Signal(object, object, bool)
    batches_changed = Signal(object)  # list[Batch] the model has just taken in
    message = Signal(str, int)  # status-bar text, timeout ms (0 = until cleared)
    message_cleared = Signal()
    # "this PC's clock is … the database server", or "" while the clocks agree
    clock_warning = Signal(str)
    state_changed = Signal()  # what the actions allow may have changed
    history_loaded = Signal(str, object)  # code, list[AuditEvent]
    orders_found = Signal(str, object)  # the search text, set[str] of batch codes

    def __init__(
        self,
        database_url: str,
        actor: Actor,
        runner: TaskRunner,
        model: BatchTableModel,
        *,
        keep_place: KeepPlace,
        horizon: Callable[[], int],
        open_session: OpenSession | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._url, self._actor, self._runner, self._model = database_url, actor, runner, model
        self._keep_place, self._horizon = keep_place, horizon
        self._open_session = open_session or open_app_session
        self.session: AppSession | None = None
        self.settings = PlantSettings()
        self._token = -1
        self._settings_token = ""
        self._loaded_at: datetime | None = None
        self._polling = False
        self._connecting = False
        self._outage = False  # the "not connected" banner is up
        self._live: LiveBridge | None = None
        self._was_live = False
        self._clock_text = ""

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_INTERVAL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_INTERVAL_MS)
        self._retry_timer.timeout.connect(self.connect_database)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_INTERVAL_MS)
        self._clock_timer.timeout.connect(self.tick)
        # Bursts of notifications (a scripted run, sample data) become one targeted update.
        self._push_timer = QTimer(self)
        self._push_timer.setSingleShot(True)
        self._push_timer.setInterval(PUSH_DEBOUNCE_MS)
        self._push_timer.timeout.connect(self.poll)

    @property
    def has_loaded(self) -> bool:
        """A listing has arrived from the current database (it may have been empty)."""
        return self._loaded_at is not None

    def is_live(self) -> bool:
        return self._was_live

    def now(self) -> datetime:
        """The time statuses are shown at: the database server's (PostgreSQL decides by it),
        as this PC's clock plus the offset last measured."""
        session = self.session
        return session.now() if session is not None else utc_now()

    # connecting
    def start(self) -> None:
        self._clock_timer.start()
        self.connect_database()

    def connect_database(self) -> None:
        if self._connecting or self.session is not None:
            return
        self._connecting = True
        self.connection_text.emit("Connecting…")
        url, actor, open_session = self._url, self._actor, self._open_session
        self._runner.run(lambda: open_session(url, actor), self._connected, self._connect_failed)

    def _connected(self, session: AppSession) -> None:
        self._connecting = False
        self.session = session
        self._retry_timer.stop()
        self._hide_outage()
        self._start_live_updates(session)
        self._show_connection()
        self.connected.emit()
        self.reload()  # polling starts once the full listing is in (_listing_loaded)

    def _connect_failed(self, error: BaseException) -> None:
        self._connecting = False
        self._show_unavailable(error)
        self._retry_timer.start()

    def retry_now(self) -> None:
        if self.session is None:
            self.connect_database()
        else:
            self.reload()

    @property
    def operator(self) -> str:
        """Who changes made from this window are recorded as."""
        return self._actor.operator

    def use_operator(self, operator: str) -> None:
        """Record changes from now on as `operator` (Settings saved a new name)."""
        self._actor = replace(self._actor, operator=operator)
        if self.session is not None:
            self.session = self.session.with_operator(operator)

    def switch_database(self, url: str) -> None:
        self._stop_live_updates()
        if self.session is not None:
            self.session.close()
        self.session, self._url, self._loaded_at = None, url, None
        self._token = -1  # the old database's change token means nothing to the new one
        self.poll_timer.stop()
        self._model.set_batches(
            [], now=self.now(), zone=self.settings.zone, near_days=self._horizon()
        )
        self.connect_database()

    def stop(self) -> None:
        """The window is closing: no more timers, and the listener thread is told to end."""
        for timer in (self.poll_timer, self._retry_timer, self._clock_timer, self._push_timer):
            timer.stop()
        self._stop_live_updates()

    def close(self) -> None:
        """The window is gone: stop, and let go of the database (its connections and, on
        SQLite, the file) now rather than whenever the interpreter gets to it."""
        self.stop()
        session, self.session = self.session, None
        if session is not None:
            session.close()

    # live updates
    def _start_live_updates(self, session: AppSession) -> None:
        self._stop_live_updates()
        self._live = LiveBridge(session)
        self._live.changed.connect(lambda _code: self._push_timer.start())
        self._live.live.connect(self._live_changed)

    def _stop_live_updates(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live.deleteLater()
            self._live = None
        self._was_live = False

    def _live_changed(self, live: bool) -> None:
        if live and not self._was_live and self._loaded_at is not None:
            self.reload()  # (re)connected: catch up on anything missed while not live
        self._was_live = live
        self._show_connection()

    def _show_connection(self) -> None:
        session = self.session
        if session is None:
            self.connection_text.emit("Not connected")
            return
        place = describe_database(session.database.kind, session.database.location)
        if self._live is not None and self._live.pushes:
            state = "live" if self._was_live else "NOT live: checking every few seconds"
            self.connection_text.emit(f"{place} ({state})")
        else:
            self.connection_text.emit(place)

    def _show_unavailable(self, error: BaseException) -> None:
        as_of = (
            f" Showing the data as of {local_time_text(self._loaded_at, seconds=True)}."
            if self._loaded_at
            else ""
        )
        reason = html_escape(
            str(error) if isinstance(error, DairyError) else f"{type(error).__name__}: {error}"
        )  # the banner is rich text: a driver's "<host>" must not read as markup
        self._outage = True
        self.unavailable.emit(
            f"<b>Not connected.</b> {reason}{as_of} Retrying every {RETRY_INTERVAL_MS // 1000} s."
        )
        self.connection_text.emit("Not connected")
        self.state_changed.emit()

    def _hide_outage(self) -> None:
        self._outage = False
        self.available.emit()

    # loading
    def reload(self) -> None:
        """Full reload (F5, start, after reconnecting): the view keeps selection and scroll.

        On the first load the earliest-expiring rows come first (a few ms), so the table
        paints at once; the whole listing follows behind it. Classifying runs on the
        worker too, so the GUI thread only swaps the rows in.
        """
        session = self.session
        if session is None:
            self.connect_database()
            return
        near_days = self._horizon()
        horizon_set = self._loaded_at is not None

        def load(limit: int | None) -> Callable[[], _Loaded]:
            def work() -> _Loaded:
                offset = session.measure_clock_offset()
                tokens = session.change_token()
                listing = session.listing(limit=limit)  # at the server's time
                days = near_days if horizon_set else listing.settings.near_expiry_days
                rows = classify(listing.batches, listing.as_of, listing.settings.zone, days)
                return _Loaded(listing, offset, tokens, rows, days, limit is None)

            return work

        if self._loaded_at is None:
            self.message.emit("Loading batches…", 0)
            self._runner.run(load(FIRST_SCREEN_ROWS), self._listing_loaded, self._data_failed)
        self._runner.run(load(None), self._listing_loaded, self._data_failed)

    def _listing_loaded(self, result: _Loaded) -> None:
        listing = result.listing
        if not result.complete and self._token >= 0:
            return  # the full listing already arrived
        self._show_clock_offset(result.clock_offset)
        with self._keep_place():
            self._apply_settings(listing.settings)
            self._loaded_at = listing.as_of
            self._model.set_rows(
                result.rows,
                now=listing.as_of,
                zone=listing.settings.zone,
                near_days=result.near_days,
            )
        if not result.complete:
            return
        # The change token was read before the listing: nothing committed in between is lost.
        self._token, self._settings_token = result.tokens
        self.message_cleared.emit()
        self._hide_outage()
        self.poll_timer.start()
        self.loaded.emit()

    def _apply_settings(self, settings: PlantSettings) -> None:
        previous, self.settings = self.settings, settings
        set_display_zone(settings.zone)
        self.settings_changed.emit(previous, settings, self._loaded_at is None)

    # the change check
    def poll(self) -> None:
        """Cheap change check; only the batches that changed are fetched and updated."""
        session = self.session
        if session is None or self._polling or self._token < 0:
            return  # not before the first full listing: it would fetch every batch as "changed"
        self._polling = True
        token, settings_token = self._token, self._settings_token

        def check() -> _Polled:
            offset = session.measure_clock_offset()
            tokens = session.change_token()
            if tokens[1] != settings_token:
                return _Polled(offset, tokens, None)  # plant settings changed: reload all
            return _Polled(
                offset,
                tokens,
                session.changes_since(token) if tokens[0] != token else (token, []),
            )

        self._runner.run(check, self._polled, self._poll_failed)

    def _polled(self, result: _Polled) -> None:
        self._polling = False
        self._show_clock_offset(result.clock_offset)
        if self._outage:
            self._hide_outage()
            self.reload()  # back after an outage: catch up on everything missed
            return
        if result.changes is None:
            self.reload()
            return
        self._token, batches = result.changes
        if batches:
            self.apply_changes(batches)
        self.state_changed.emit()

    def _show_clock_offset(self, offset: timedelta) -> None:
        text = describe_offset(offset) or ""
        if text != self._clock_text:
            self._clock_text = text
            if text:
                log.warning("%s (statuses are shown by the server's clock)", text)
            self.clock_warning.emit(text)

    def _poll_failed(self, error: BaseException) -> None:
        self._polling = False
        self._data_failed(error)

    def _data_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self._show_unavailable(error)
            return
        log.error("loading failed", exc_info=error)
        self.message.emit(f"Could not load batches: {error}", 10_000)

    def apply_changes(self, batches: list[Batch]) -> None:
        """Targeted update (dataChanged / insert / remove), keeping selection and scroll."""
        with self._keep_place():
            self._model.upsert(batches)
        self.batches_changed.emit(batches)

    def tick(self) -> None:
        """A minute passed: time left moves on, and a batch may have changed status (that
        rebuilds the rows, so the selection is kept around it)."""
        with self._keep_place():
            self._model.tick(self.now())

    def set_horizon(self, days: int) -> None:
        with self._keep_place():  # a new horizon re-sorts nothing: the selection stays
            self._model.set_batches(
                [r.batch for r in self._model.all_rows()],
                now=self.now(),
                zone=self.settings.zone,
                near_days=days,
            )

    # look-ups for the view
    def search_orders(self, text: str) -> None:
        """Which batches were used for orders matching `text`: answered by `orders_found`."""
        session = self.session
        if session is None or len(text) < 3:
            return
        self._runner.run(
            lambda: (text, session.codes_for_order(text)),
            lambda found: self.orders_found.emit(*found),
            self._data_failed,
        )

    def load_history(self, code: str) -> None:
        session = self.session
        if session is None:
            return
        self._runner.run(
            lambda: (code, session.history(code)),
            lambda found: self.history_loaded.emit(*found),
            self._data_failed,
        )
