"""Event handlers run off the event loop, and every error they let through becomes a message."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from crm_app.i18n import tr
from crm_app.state.off_loop import BODY, OffLoopHandler, off_loop
from crm_app.state.session import unexpected_error_key


class FakeState:
    """What the wrappers need of a state: somewhere to put values and ``_on_error``."""

    def __init__(self):
        self.value = ""
        self.errors: list[Exception] = []

    def _on_error(self, exc: Exception):
        self.errors.append(exc)
        return f"message for {type(exc).__name__}"


def test_a_plain_handler_runs_in_a_thread_while_the_loop_serves_others():
    def save(state, value: str):
        time.sleep(0.3)  # a slow query
        state.value = value
        return ["saved", threading.current_thread().name]

    async def scenario():
        ticks = 0

        async def other_user():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        state = FakeState()
        ticker = asyncio.create_task(other_user())
        result = await off_loop(save)(state, "Hà Nội")
        ticker.cancel()
        return state, result, ticks

    state, result, ticks = asyncio.run(scenario())
    assert state.value == "Hà Nội"
    assert result[0] == "saved" and result[1].startswith("handler")
    assert ticks >= 10  # the loop went on while the body slept


def test_a_generator_handler_yields_each_step_and_its_return_value():
    def steps(state):
        state.value = "busy"
        yield "first"
        yield "second"
        return "last"

    async def collect():
        return [item async for item in off_loop(steps)(FakeState())]

    assert asyncio.run(collect()) == ["first", "second", "last"]


def test_an_unexpected_error_becomes_the_states_message_and_keeps_its_changes():
    def broken(state, value: str):
        state.value = value  # what the user typed stays
        raise RuntimeError("boom")

    state = FakeState()
    result = asyncio.run(off_loop(broken)(state, "0912 345 678"))
    assert result == "message for RuntimeError"
    assert state.value == "0912 345 678"
    assert isinstance(state.errors[0], RuntimeError)


def test_async_handlers_keep_running_on_the_loop_but_their_errors_become_messages():
    async def upload(state, files: list):
        raise ValueError("bad file")

    state = FakeState()
    assert asyncio.run(off_loop(upload)(state, [])) == "message for ValueError"


def test_the_wrapper_keeps_the_signature_reflex_reads_and_the_plain_body():
    def set_value(state, value: str, on: bool = False):
        return None

    wrapped = off_loop(set_value)
    assert asyncio.iscoroutinefunction(wrapped)
    assert getattr(wrapped, BODY) is set_value
    assert off_loop(wrapped) is wrapped  # never wrapped twice
    import inspect

    assert list(inspect.signature(wrapped).parameters) == ["state", "value", "on"]


def test_every_handler_of_the_app_is_built_off_the_loop():
    from crm_app.state.customer_detail import CustomerDetailState
    from crm_app.state.session import SessionState

    for state_cls in (SessionState, CustomerDetailState):
        handler = state_cls.event_handlers["select_tab" if state_cls is CustomerDetailState else "logout"]
        assert isinstance(handler, OffLoopHandler)
        assert asyncio.iscoroutinefunction(handler.fn)
    # the payload of save_edit is still typed from the original function
    assert CustomerDetailState.event_handlers["save_edit"]._get_type_hints() == {"_form": dict | None}


def test_helpers_of_the_states_are_no_events_and_labels_follow_the_language():
    """A public method of a state is an event a browser may send; the helpers are private. A
    computed label built through them depends on the language (the wrapped events hid it)."""
    from crm_app.state.import_wizard import ImportState
    from crm_app.state.session import SessionState

    assert set(SessionState.event_handlers) == {"global_search", "logout", "require_login", "set_language", "setvar"}
    deps = ImportState.computed_vars["run_label"]._deps(objclass=ImportState)
    assert "lang" in deps[ImportState.get_full_name()]


@pytest.mark.parametrize(
    "exc, key",
    [
        (OperationalError("UPDATE customer", {}, Exception("database is locked")), "err.database_busy"),
        (
            OperationalError("UPDATE customer", {}, Exception("canceling statement due to lock timeout")),
            "err.database_busy",
        ),
        (RuntimeError("anything else"), "err.unexpected"),
    ],
)
def test_unexpected_errors_have_a_catalog_message_in_both_languages(exc, key):
    assert unexpected_error_key(exc) == key
    vi, en = tr(key, "vi"), tr(key, "en")
    assert vi != key and en != key and vi != en


def test_an_on_loop_handler_runs_in_place_and_still_reports_errors():
    from crm_app.state.off_loop import on_loop

    @on_loop
    def set_value(state, value: str):
        state.value = value
        if value == "boom":
            raise RuntimeError(value)

    wrapped = off_loop(set_value)
    assert not asyncio.iscoroutinefunction(wrapped)
    state = FakeState()
    assert wrapped(state, "Hà Nội") is None and state.value == "Hà Nội"
    assert wrapped(state, "boom") == "message for RuntimeError"
