"""Every event handler of the app runs off the event loop, and no error reaches the user raw.

Reflex calls a plain (synchronous) handler on the event loop that serves every user of the
worker, so one handler reading the database made all the others wait. ``SessionState`` builds
each of its handlers with ``OffLoopHandler``: Reflex receives a coroutine that runs the body in
a thread of ``HANDLER_THREADS`` while the user's own state stays locked (that user's next event
still waits for this one, as before) and the loop goes on serving everyone else.

A handler marked ``@on_loop`` stays on the loop: one that only assigns what the user typed,
run on every keystroke, where a thread hop (and a wait for a free thread while the others read
the database) would cost more than the body.

A handler calling another one on ``self`` (``return self.select_tab(tab)``) gets the plain body:
it is already in the thread.

An exception a handler did not turn into a message itself becomes one here, in the user's
language (``SessionState._on_error``): never Reflex's generic English toast. The handler's own
state changes up to the error stay, so what the user typed stays on screen.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import types
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from reflex.event import EventHandler

# Threads that run handler bodies. SQLite and PostgreSQL release the GIL while they work, so
# several bodies overlap; more threads than the engine's pool (15 connections) would only queue.
HANDLER_THREADS = ThreadPoolExecutor(max_workers=12, thread_name_prefix="handler")
BODY = "_crm_handler_body"
ON_LOOP = "_crm_on_loop"
_DONE = object()


async def in_thread(fn: Callable, *args: Any) -> Any:
    """``fn(*args)`` in a handler thread, with the caller's context variables."""
    ctx = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(HANDLER_THREADS, functools.partial(ctx.run, fn, *args))


def on_loop(fn: Callable) -> Callable:
    """Mark a handler that only assigns values (no database, no files, no heavy work)."""
    setattr(fn, ON_LOOP, True)
    return fn


def _message(state, exc: Exception):
    """The events telling the user about ``exc`` (a function, not an attribute read in the
    wrappers, so that Reflex's tracking of computed vars does not walk through them)."""
    return state._on_error(exc)


def _next(gen) -> Any:
    try:
        return next(gen)
    except StopIteration as stop:
        return (_DONE, stop.value)


def off_loop(fn: Callable) -> Callable:
    """What Reflex runs for the handler ``fn``: a coroutine (or async generator) running it in a
    thread, or for an ``on_loop`` handler the body itself; errors become messages either way."""
    if getattr(fn, BODY, None) is not None:
        return fn
    if getattr(fn, ON_LOOP, False):

        @functools.wraps(fn)
        def quick(state, *args, **kwargs):
            try:
                return fn(state, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every error becomes a message
                return _message(state, exc)

        wrapper = quick
    elif inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        async def stream(state, *args, **kwargs):
            try:
                gen = await in_thread(functools.partial(fn, state, *args, **kwargs))
                while True:
                    item = await in_thread(_next, gen)
                    if isinstance(item, tuple) and item and item[0] is _DONE:
                        if item[1] is not None:
                            yield item[1]
                        return
                    yield item
            except Exception as exc:  # noqa: BLE001 - every error becomes a message
                yield _message(state, exc)

        wrapper = stream
    elif inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn):
        wrapper = _guarded_async(fn)
    else:

        @functools.wraps(fn)
        async def run(state, *args, **kwargs):
            try:
                return await in_thread(functools.partial(fn, state, *args, **kwargs))
            except Exception as exc:  # noqa: BLE001 - every error becomes a message
                return _message(state, exc)

        wrapper = run
    setattr(wrapper, BODY, fn)
    return wrapper


def _guarded_async(fn: Callable) -> Callable:
    """An async handler already chooses where its work runs; only its errors are caught."""
    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def agen(state, *args, **kwargs):
            try:
                async for item in fn(state, *args, **kwargs):
                    yield item
            except Exception as exc:  # noqa: BLE001
                yield _message(state, exc)

        return agen

    @functools.wraps(fn)
    async def coro(state, *args, **kwargs):
        try:
            return await fn(state, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return _message(state, exc)

    return coro


class OffLoopHandler(EventHandler):
    """An event handler whose body runs off the loop; on ``self`` it is the plain body."""

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        bound = super().__get__(instance, owner)
        body = getattr(getattr(bound, "__func__", None), BODY, None)
        if body is not None:
            return types.MethodType(body, bound.__self__)
        return bound
