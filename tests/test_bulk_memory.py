"""kpis.bulk_memory: a national command runs without the cyclic collector, which comes back
as it was once the command is done, whatever happens in it."""

from __future__ import annotations

import gc

import pytest

from kpis.bulk_memory import bulk_work


def test_the_collector_is_off_within_and_back_after_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk_work():
        assert not gc.isenabled()
        raise RuntimeError("a command that fails")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with bulk_work():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
