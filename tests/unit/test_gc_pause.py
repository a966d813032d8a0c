"""The cyclic collector: paused while a bulk job runs, and kept off the objects of the start."""

import gc

from crm_app.services.gc_pause import freeze_start_up_objects, paused_gc


def test_pauses_nest_and_the_collector_comes_back():
    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer job still runs
    assert gc.isenabled()


def test_objects_alive_at_the_start_are_no_longer_walked():
    try:
        kept = [[n] for n in range(1000)]  # lists: objects the collector tracks
        frozen = freeze_start_up_objects()
        assert frozen >= len(kept)
        walked = {id(o) for o in gc.get_objects()}  # what a collection walks: not the frozen ones
        assert not any(id(o) in walked for o in kept)
        later = [[1]]
        assert id(later[0]) in {id(o) for o in gc.get_objects()}  # made afterwards: collected as ever
    finally:
        gc.unfreeze()
