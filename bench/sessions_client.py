"""A browser-less Streamlit client: one `Session` speaks the websocket protocol the real frontend
speaks (read from streamlit 1.67's own bundle, static/js/index.*.js, and its server,
web/server/starlette/starlette_websocket.py), so a load generator can drive the real server.

What the frontend does, and this does too:
- opens ws://host:port/_stcore/stream with the subprotocols ["streamlit", <XSRF token or
  "PLACEHOLDER_AUTH_TOKEN">] (a third entry would resume an old session: never sent here); the
  browser's cookies go in the handshake's Cookie header, which is where the app's sign-in cookie
  (`jszg_session`) is read from (`st.context.cookies`);
- asks for a run with BackMsg.rerun_script (a ClientState): the first run of a tab sends the URL's
  query string, page_script_hash "" and page_name = the URL path ("" for the default page); a
  click on a page link sends that page's page_script_hash (from the latest `navigation` message)
  and page_name ""; a widget change reruns the current page with the widget's new state;
- keeps the query string the server writes (`page_info_changed`) and sends it with every later run;
- caches ForwardMsgs the server marks `metadata.cacheable`, tells the server their hashes
  (ClientState.cached_message_hashes), resolves `ref_hash` messages from that cache (a miss is an
  error, as in the frontend), and ages entries out after `max_cached_message_age` finished runs;
- a run ends with `script_finished`; FINISHED_EARLY_FOR_RERUN (st.rerun, st.switch_page) means
  another run follows, so only the next final status ends it.

Widget states: the frontend re-sends every active widget's value with each run; this client sends
only the values it set itself (`set_widget`) while that widget is still on the page. The server
keeps the other widgets' values in session state, so the script does the same work.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

FINAL = {ForwardMsg.FINISHED_SUCCESSFULLY: "ok", ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
         ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment ok"}
TEXT_FIELDS = {"heading": "body", "markdown": "body", "alert": "body", "text": "body", "metric": "label",
               "text_input": "label", "button": "label", "page_link": "label", "selectbox": "label",
               "date_input": "label", "radio": "label", "exception": "message"}


@dataclass
class Run:
    """One run as the client saw it: from sending the request to the final `script_finished`."""

    seconds: float
    status: str  # "ok", "compile error", "timeout", "closed: …"
    texts: list[str] = field(default_factory=list)  # the main area's headings, markdown, alerts, labels
    sidebar: list[str] = field(default_factory=list)  # the same, in the sidebar (the menu, the choices)
    exceptions: list[str] = field(default_factory=list)  # Exception elements: "Type: message"
    page_not_found: str | None = None
    page_hash: str = ""  # the page the server ran (its latest navigation message)
    messages: int = 0
    bytes: int = 0
    cache_hits: int = 0
    early_reruns: int = 0

    def has_text(self, text: str) -> bool:
        return any(text in s for s in self.texts)


class CacheMiss(Exception):
    """The server referred to a message this client never cached (the frontend fails the same way)."""


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: "date_input", "selectbox", ...
    label: str


class Session:
    """One browser tab: a websocket, the client state the frontend keeps, and runs on request."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None, query_string: str = "",
                 timeout: float = 180.0):
        self.ws_url = base_url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        self.cookies = cookies or {}
        self.query_string = query_string
        self.timeout = timeout
        self.ws = None
        self.pages: dict[str, str] = {}  # url path ("" for the default page) → page_script_hash
        self.titles: dict[str, str] = {}  # page_script_hash → the menu's title
        self.current_page = ""
        self.widgets: dict[str, Widget] = {}  # widget id → what it is, as of the latest run
        self.widget_states: dict[str, WidgetState] = {}
        self.cache: dict[str, list] = {}  # hash → [serialized message, run count when last used]
        self.run_count = 0
        self.max_cached_message_age = 2  # until a new_session says otherwise

    async def open(self) -> None:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        self.ws = await connect(self.ws_url, subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
                                additional_headers=headers, max_size=None, open_timeout=self.timeout,
                                ping_interval=None)  # compression offered, as a browser does

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self) -> Session:
        await self.open()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def first_run(self, url_path: str = "") -> Run:
        """The run a freshly opened tab asks for: the URL's path and query, no page hash."""
        return await self.rerun(page_hash="", page_name=url_path)

    async def goto(self, url_path: str) -> Run:
        """A click on the page link of `url_path` ("" for the default page)."""
        if url_path not in self.pages:
            raise KeyError(f"no page {url_path!r} in the menu ({sorted(self.pages)})")
        return await self.rerun(page_hash=self.pages[url_path])

    async def set_widget(self, widget_id: str, **value) -> Run:
        """A widget change, e.g. `set_widget(id, string_array_value=["2020-07-03"])` for a date input."""
        state = WidgetState(id=widget_id)
        for name, v in value.items():
            target = getattr(state, name)
            if hasattr(target, "data"):
                target.data.extend(v)
            else:
                setattr(state, name, v)
        self.widget_states[widget_id] = state
        return await self.rerun(page_hash=self.current_page)

    def widget(self, kind: str, label: str) -> Widget | None:
        return next((w for w in self.widgets.values() if w.kind == kind and w.label == label), None)

    async def rerun(self, page_hash: str = "", page_name: str = "") -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(s for i, s in self.widget_states.items() if i in self.widgets)
        state.cached_message_hashes.extend(self.cache)
        run = Run(0.0, "")
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            run.status = await asyncio.wait_for(self._receive(run), self.timeout)
        except TimeoutError:
            run.status = "timeout"
        except WebSocketException as e:
            run.status = f"closed: {e}"
        except CacheMiss as e:
            run.status = f"cache miss: {e}"
        run.seconds = time.perf_counter() - start
        run.page_hash = self.current_page
        return run

    async def _receive(self, run: Run) -> str:
        widgets: dict[str, Widget] = {}
        while True:
            raw = await self.ws.recv()
            run.messages += 1
            run.bytes += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash":
                fwd = self._from_cache(fwd)
                run.cache_hits += 1
                kind = fwd.WhichOneof("type")
            elif fwd.metadata.cacheable and fwd.hash:
                self._remember(fwd.hash, raw)
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                main = not fwd.metadata.delta_path or fwd.metadata.delta_path[0] != 1  # 1: the sidebar
                _read_element(fwd.delta.new_element, run.texts if main else run.sidebar, run.exceptions, widgets)
            elif kind == "new_session":
                widgets.clear()  # a new run (after st.rerun or st.switch_page) draws the page again
                run.texts.clear()
                run.sidebar.clear()
                self.max_cached_message_age = fwd.new_session.config.max_cached_message_age or 2
            elif kind == "navigation":
                nav = fwd.navigation
                self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
                self.titles = {p.page_script_hash: p.page_name for p in nav.app_pages}
                self.current_page = nav.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                run.page_not_found = fwd.page_not_found.page_name or "(unnamed)"
            elif kind == "session_event" and fwd.session_event.HasField("script_compilation_exception"):
                exc = fwd.session_event.script_compilation_exception
                run.exceptions.append(f"{exc.type}: {exc.message}")
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.early_reruns += 1
                    continue
                self.widgets = widgets
                self._age_cache()
                return FINAL.get(fwd.script_finished, f"status {fwd.script_finished}")

    def _remember(self, digest: str, raw: bytes) -> None:
        if digest in self.cache:
            self.cache[digest][1] = self.run_count
        else:
            self.cache[digest] = [raw, self.run_count]

    def _from_cache(self, ref: ForwardMsg) -> ForwardMsg:
        entry = self.cache.get(ref.ref_hash)
        if entry is None:
            raise CacheMiss(ref.ref_hash)
        entry[1] = self.run_count
        msg = ForwardMsg()
        msg.ParseFromString(entry[0])
        msg.metadata.CopyFrom(ref.metadata)
        return msg

    def _age_cache(self) -> None:
        self.run_count += 1
        for digest in [d for d, (_, seen) in self.cache.items() if self.run_count - seen > self.max_cached_message_age]:
            del self.cache[digest]


def _read_element(element, texts: list[str], exceptions: list[str], widgets: dict[str, Widget]) -> None:
    kind = element.WhichOneof("type")
    inner = getattr(element, kind) if kind else None
    if kind == "exception":
        exceptions.append(f"{inner.type}: {inner.message}")
    name = TEXT_FIELDS.get(kind)
    if name:
        texts.append(getattr(inner, name))
    widget_id = getattr(inner, "id", "") if kind not in ("plotly_chart", "dataframe") else ""
    if widget_id:
        widgets[widget_id] = Widget(widget_id, kind, getattr(inner, "label", ""))
