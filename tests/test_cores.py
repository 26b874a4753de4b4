"""kpis.cores: jobs two at a time on the cores this process may use."""

from __future__ import annotations

import os
import threading

import pytest

from kpis import cores


def test_usable_cores_are_those_the_process_may_run_on():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert cores.usable_cores() == max(expected or 1, 1)


def test_two_jobs_worth_it_run_at_once_and_give_their_results_in_order(monkeypatch):
    # Each job waits for the other at a barrier: one after the other, the first would wait
    # for ever (here: the barrier's timeout breaks it).
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    meet = threading.Barrier(2, timeout=10)

    def job(result):
        def run():
            meet.wait()
            return result

        return run

    assert cores.two_at_a_time(True, job("first"), job("second")) == ["first", "second"]


@pytest.mark.parametrize("worth_it, usable", [(False, 2), (True, 1)])
def test_jobs_not_worth_it_or_on_one_core_run_in_the_calling_thread(monkeypatch, worth_it, usable):
    monkeypatch.setattr(cores, "usable_cores", lambda: usable)
    caller = threading.get_ident()
    ran = cores.two_at_a_time(worth_it, threading.get_ident, threading.get_ident)
    assert ran == [caller, caller]


def test_a_failing_job_raises_once_the_other_has_ended(monkeypatch):
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    ended = threading.Event()

    def fails():
        raise ValueError("bad cell")

    def slow():
        ended.wait(0.2)
        ended.set()
        return "done"

    with pytest.raises(ValueError, match="bad cell"):
        cores.two_at_a_time(True, fails, slow)
    assert ended.is_set()  # (the pool was waited for before the failure was raised)
