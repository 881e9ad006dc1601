"""Worker pools (tagwire/procs.py) end with the process that started them: a killed `tagwire
fetch` or `understand` leaves no worker behind holding a language model. Real processes."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

from tagwire.procs import worker_pool

KILLED_PARENT = """
import os, signal, sys
from tagwire.procs import worker_pool

if __name__ == "__main__":
    pool = worker_pool(2, [])
    pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(8)}
    print(" ".join(map(str, pids)), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no cleanup at all, as the OOM killer would
"""


def _mark() -> None:
    """The initializer: leaves, in the worker, the pid of the process that started the pool."""
    parent = multiprocessing.parent_process()
    os.environ["TAGWIRE_TEST_WORKER_MARK"] = str(parent.pid if parent else 0)


def _marked() -> int:
    return int(os.environ.get("TAGWIRE_TEST_WORKER_MARK", "0"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie has ended too
        return f.read().split(") ")[-1][0] != "Z"


def test_workers_exit_when_the_process_that_started_them_is_killed() -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_PARENT], capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr
    workers = [int(p) for p in done.stdout.split()]
    assert workers and os.getpid() not in workers
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)


def test_workers_run_the_initializer_and_stay_while_the_parent_lives() -> None:
    pool = worker_pool(1, ["tagwire.procs"], _mark)
    try:
        assert pool.submit(_marked).result(timeout=60) == os.getpid()  # the initializer ran there
        pid = pool.submit(os.getpid).result(timeout=60)
        time.sleep(1.5)  # longer than the watcher's poll: it must not take this process for gone
        assert pool.submit(os.getpid).result(timeout=60) == pid and _alive(pid)
    finally:
        pool.shutdown()


AS_THE_SCRIPT = """
import sys
from tagwire.cli import _as_module
from tagwire.procs import worker_pool
from probe import loaded

if __name__ == "__main__":
    if sys.argv[1:] == ["as-module"]:
        _as_module()
    pool = worker_pool(1, [])
    print(*(pool.submit(loaded, m).result(timeout=60) for m in ("tagwire.procs", "tagwire.cli")))
"""


def test_workers_of_the_tagwire_script_do_not_load_the_command_line(tmp_path: Path) -> None:
    """multiprocessing runs the script that started a process again in each worker: the
    `tagwire` script would load the CLI (typer, rich, ...) in every worker, unless it says it
    is `python -m tagwire` (cli._as_module), as `tagwire`'s main does."""
    (tmp_path / "probe.py").write_text("import sys\n\n\ndef loaded(name):\n    return name in sys.modules\n")
    script = tmp_path / "tagwire-script"  # no .py: as pip writes the entry point
    script.write_text(AS_THE_SCRIPT)
    runs = [
        subprocess.run([sys.executable, str(script), *how], capture_output=True, text=True, timeout=120)
        for how in ([], ["as-module"])
    ]
    assert [r.stdout.split() for r in runs] == [["True", "True"], ["True", "False"]], [r.stderr for r in runs]
