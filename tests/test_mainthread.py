"""Work handed from other threads to the main thread (mainthread.py): run there, in order, with
what it raises given back; and, for preparing, the time budget holding there (a signal, which
no other thread receives)."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import Future

import pytest

from tagwire.mainthread import MainThread
from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.prepare import Preparers, Quarantined, inputs, prepare_many
from tests.newstexts import article, news


def test_work_runs_in_the_main_thread_in_order_and_errors_come_back() -> None:
    main, ran, futures = MainThread(), list[str](), list[Future[str]]()

    def hand_over() -> None:
        for n in range(3):
            futures.append(main.submit(lambda n=n: ran.append(threading.current_thread().name) or str(n)))
        futures.append(main.submit(lambda: str(1 / 0)))
        main.stop()

    other = threading.Thread(target=hand_over)
    other.start()
    main.serve()
    other.join()
    assert ran == [threading.main_thread().name] * 3
    assert [f.result() for f in futures[:3]] == ["0", "1", "2"]
    with pytest.raises(ZeroDivisionError):
        futures[3].result()


def test_serving_from_another_thread_is_refused() -> None:
    failed: list[BaseException] = []

    def serve() -> None:
        try:
            MainThread().serve()
        except RuntimeError as error:
            failed.append(error)

    other = threading.Thread(target=serve)
    other.start()
    other.join()
    assert failed and "main thread" in str(failed[0])


def test_signals_received_while_serving_do_not_keep_it_from_stopping() -> None:
    """The worker's SIGTERM and the budget's SIGALRM reach the main thread while it waits for
    work: it goes on waiting, runs what comes, and returns on stop() (a timed wait interrupted
    near its deadline waited forever: a worker asked to stop hung)."""
    main, got = MainThread(), list[int]()
    previous = signal.signal(signal.SIGUSR1, lambda _signum, _frame: got.append(1))

    def disturb() -> None:
        for n in range(40):
            os.kill(os.getpid(), signal.SIGUSR1)
            time.sleep(0.005 * (n % 7))
        main.submit(lambda: None)
        main.stop()

    other = threading.Thread(target=disturb)
    try:
        other.start()
        main.serve()
        other.join()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert got


def test_time_running_counts_from_the_start_of_the_work_not_from_its_handing_over() -> None:
    """A batch waiting in line behind others is not running late (prepare.py's patience for the
    main thread counts from the start of its work)."""
    main, seen = MainThread(), dict[str, float | None]()
    first = main.submit(lambda: time.sleep(0.3))
    second: Future[None] = main.submit(lambda: seen.update(inside=main.running_for(second)))

    def watch() -> None:
        time.sleep(0.15)
        seen.update(first=main.running_for(first), waiting=main.running_for(second))
        main.stop()

    other = threading.Thread(target=watch)
    other.start()
    main.serve()
    other.join()
    assert seen["waiting"] is None
    assert seen["first"] is not None and 0.1 < seen["first"] < 0.3
    assert seen["inside"] is not None and seen["inside"] < 0.1
    assert main.running_for(first) is None  # done


def test_work_never_started_is_cancelled() -> None:
    main = MainThread()
    waiting = main.submit(lambda: 1)
    main.cancel_waiting()
    assert waiting.cancelled()


def test_batches_handed_to_the_main_thread_hold_each_article_to_its_budget() -> None:
    """A batch prepared for another thread (a worker's job) by the main thread: an article that
    cannot be prepared within its budget (two million words) is quarantined, the others are
    prepared as anywhere else, and no preparing process is started."""
    huge = " ".join(f"w{i % 5000}" for i in range(2_000_000))
    items = inputs([*news()[:2], article(9, "Huge Gazette", "Two million words", huge, 60)])
    main, local = MainThread(), HashtagTagger()
    preparers = Preparers(0, local, budget=0.3, main=main)
    found: list[object] = []

    def job() -> None:
        try:
            found.extend(preparers.prepared(preparers.ahead(items), items))
        finally:
            main.stop()

    other = threading.Thread(target=job)
    other.start()
    main.serve()
    other.join()
    try:
        assert preparers._pool is None
        assert found[:2] == prepare_many(items[:2], local)
        assert isinstance(found[2], Quarantined) and "took longer than its 0.3 s budget" in found[2].reason
    finally:
        preparers.close()


def test_only_a_worker_set_to_prepare_itself_hands_batches_to_its_main_thread() -> None:
    """TAGWIRE_UNDERSTAND_PROCESSES=0 hands batches to the main thread; the default (-1) keeps
    its preparing process, or none on one core, as before."""
    main, local = MainThread(), HashtagTagger()
    assert Preparers.per_setting(0, local, 10.0, main).main is main
    assert Preparers.per_setting(-1, local, 10.0, main).main is None
    assert Preparers.per_setting(1, local, 10.0, main).main is None
