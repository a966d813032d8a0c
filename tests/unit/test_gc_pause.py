"""The cyclic collector paused while a bulk job runs."""

import gc

from crm_app.services.gc_pause import paused_gc


def test_pauses_nest_and_the_collector_comes_back():
    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer job still runs
    assert gc.isenabled()
