"""Results folders are replaced whole or not at all, by one run at a time.

The kill tests run a few lines of Python in a subprocess that kills itself
with SIGKILL at a chosen point of the write, then check that the folder holds
the complete earlier result or the complete new one, and that the next run
tidies what the killed one left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from experiments import output

EARLIER = {"result.txt": "earlier", "part-1.txt": "earlier", "only-earlier.txt": "earlier"}
NEW = {"result.txt": "new", "part-1.txt": "new", "part-2.txt": "new"}
MARKS = ("result.txt",)


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir()}


def earlier_result(parent: Path) -> Path:
    target = parent / "res"
    target.mkdir()
    for name, text in EARLIER.items():
        (target / name).write_text(text)
    return target


def write_new(tmp: Path) -> None:
    for name, text in NEW.items():
        (tmp / name).write_text(text)


def test_a_new_folder_is_made_whole_and_nothing_is_left_beside_it(tmp_path):
    target = tmp_path / "res"
    with output.replacing(target, marks=MARKS) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".res-tmp-")
        write_new(tmp)
        assert not target.exists()
    assert contents(target) == NEW
    assert os.listdir(tmp_path) == ["res"]  # no temporary folder, no lock file


@pytest.mark.parametrize("renameat2", [True, False], ids=["exchange", "fallback"])
def test_an_earlier_result_is_replaced_whole(tmp_path, monkeypatch, renameat2):
    target = earlier_result(tmp_path)
    if not renameat2:
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    with output.replacing(target, marks=MARKS) as tmp:
        write_new(tmp)
        assert contents(target) == EARLIER
    assert contents(target) == NEW  # 'only-earlier.txt' is gone: no mix
    assert os.listdir(tmp_path) == ["res"]


def test_an_error_while_writing_leaves_the_earlier_result(tmp_path):
    target = earlier_result(tmp_path)
    with pytest.raises(ValueError), output.replacing(target, marks=MARKS) as tmp:
        (tmp / "result.txt").write_text("new")
        raise ValueError("the simulation failed")
    assert contents(target) == EARLIER
    assert os.listdir(tmp_path) == ["res"]


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from experiments import output

target, point = Path(sys.argv[1]), sys.argv[2]

def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "after the exchange":
    output._discard = die  # the earlier result, now under the temporary name, stays
elif point == "between the fallback renames":
    output._exchange = lambda a, b: False
    real_rename, renames = output._rename, []
    def rename(src, dst):
        renames.append(src)
        if len(renames) == 2:
            die()
        real_rename(src, dst)
    output._rename = rename

with output.replacing(target, marks=("result.txt",)) as tmp:
    (tmp / "result.txt").write_text("new")
    (tmp / "part-1.txt").write_text("new")
    if point == "while writing":
        die()
    (tmp / "part-2.txt").write_text("new")
"""


def killed_run(target: Path, point: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(target), point],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def test_a_run_killed_while_writing_leaves_the_earlier_result(tmp_path):
    target = earlier_result(tmp_path)
    killed_run(target, "while writing")
    assert contents(target) == EARLIER
    (leftover,) = (p for p in tmp_path.iterdir() if p.name.startswith(".res-tmp-"))
    assert contents(leftover) == {"result.txt": "new", "part-1.txt": "new"}  # killed mid-write
    with output.replacing(target, marks=MARKS) as tmp:
        write_new(tmp)
    assert contents(target) == NEW
    assert os.listdir(tmp_path) == ["res"]


def test_a_run_killed_after_the_exchange_leaves_the_new_result(tmp_path):
    target = earlier_result(tmp_path)
    killed_run(target, "after the exchange")
    assert contents(target) == NEW
    (leftover,) = (p for p in tmp_path.iterdir() if p.name.startswith(".res-tmp-"))
    assert contents(leftover) == EARLIER
    with pytest.raises(ValueError), output.replacing(target, marks=MARKS):
        raise ValueError("the next run fails, but tidies first")
    assert contents(target) == NEW
    assert os.listdir(tmp_path) == ["res"]


def test_a_run_killed_between_the_fallback_renames_is_repaired_by_the_next(tmp_path):
    target = earlier_result(tmp_path)
    killed_run(target, "between the fallback renames")
    assert not target.exists()
    (old,) = (p for p in tmp_path.iterdir() if p.name.startswith(".res-old-"))
    assert contents(old) == EARLIER  # complete, under the hidden name
    with pytest.raises(ValueError), output.replacing(target, marks=MARKS):
        raise ValueError("the next run fails, but puts the earlier result back first")
    assert contents(target) == EARLIER
    assert os.listdir(tmp_path) == ["res"]


def test_leftovers_of_killed_runs_are_removed_and_nothing_else(tmp_path):
    target = earlier_result(tmp_path)
    for name in (".res-tmp-123-0a1b2c3d", ".res-tmp-456-ffff0000", ".res-old-789"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "monthly.csv").write_text("partial")
    # Not leftovers of 'res': another folder's, and a user's own hidden folders.
    others = [".res-tmp-5-tmp-1-abcdef12", ".other-tmp-1-abcd", ".res-tmp-notes", ".res-old"]
    for name in others:
        (tmp_path / name).mkdir()
    with output.replacing(target, marks=MARKS) as tmp:
        assert sorted(p.name for p in tmp_path.iterdir() if p != tmp) == sorted(
            ["res", ".res.lock", *others]
        )
        write_new(tmp)
    assert contents(target) == NEW


def test_a_second_writer_of_the_same_folder_fails_at_once(tmp_path):
    target = earlier_result(tmp_path)
    with output.replacing(target, marks=MARKS) as tmp:
        write_new(tmp)
        started = time.perf_counter()
        with pytest.raises(output.OutputError) as caught, output.replacing(target, marks=MARKS):
            pass
        assert time.perf_counter() - started < 1
    assert str(caught.value) == (
        f"output folder '{target}' is being written by another run (pid {os.getpid()}); "
        "allowed: one run per output folder at a time"
    )
    assert contents(target) == NEW
    # A different folder beside it is not locked.
    with output.replacing(tmp_path / "res-2") as tmp:
        write_new(tmp)


HOLD_SCRIPT = """
import os, sys, time
from pathlib import Path
from experiments import output

with output.replacing(Path(sys.argv[1])) as tmp:
    child = os.fork()  # like compare's worker processes
    if child == 0:
        # The child says who it is once it runs: after Python's at-fork handlers, so
        # the test never races a worker that has not been scheduled yet.
        print(os.getpid(), flush=True)
        time.sleep(60)
        os._exit(0)
    time.sleep(60)
"""


def test_the_lock_dies_with_its_run_even_while_forked_workers_live_on(tmp_path):
    target = tmp_path / "res"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(target)], stdout=subprocess.PIPE, text=True
    )
    child = int(proc.stdout.readline())
    try:
        busy = rf"another run \(pid {proc.pid}\)"
        with pytest.raises(output.OutputError, match=busy), output.replacing(target):
            pass
        proc.kill()
        proc.wait(timeout=10)
        os.kill(child, 0)  # the worker is still alive...
        with output.replacing(target) as tmp:  # ...and the folder is free
            write_new(tmp)
        assert contents(target) == NEW
    finally:
        proc.kill()
        proc.wait(timeout=10)
        os.kill(child, signal.SIGKILL)
    assert os.listdir(tmp_path) == ["res"]


def test_sigterm_while_writing_removes_the_new_folder(tmp_path):
    target = earlier_result(tmp_path)
    with (
        output.interrupts_raise(),
        pytest.raises(output.Interrupted) as caught,
        output.replacing(target, marks=MARKS) as tmp,
    ):
        (tmp / "result.txt").write_text("new")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert caught.value.signum == signal.SIGTERM and caught.value.written is None
    assert contents(target) == EARLIER
    assert os.listdir(tmp_path) == ["res"]


@pytest.mark.parametrize("renameat2", [True, False], ids=["exchange", "fallback"])
def test_a_signal_during_the_swap_waits_until_the_new_result_is_in_place(
    tmp_path, monkeypatch, renameat2
):
    target = earlier_result(tmp_path)
    real_rename = output._rename

    def signal_then_rename(src, dst):
        os.kill(os.getpid(), signal.SIGTERM)
        real_rename(src, dst)

    monkeypatch.setattr(output, "_rename", signal_then_rename)
    if renameat2:
        real_exchange = output._exchange

        def signal_then_exchange(a, b):
            os.kill(os.getpid(), signal.SIGTERM)
            return real_exchange(a, b)

        monkeypatch.setattr(output, "_exchange", signal_then_exchange)
    else:
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    with (
        output.interrupts_raise(),
        pytest.raises(output.Interrupted) as caught,
        output.replacing(target, marks=MARKS) as tmp,
    ):
        write_new(tmp)
    assert caught.value.written == target
    assert contents(target) == NEW
    assert os.listdir(tmp_path) == ["res"]


def test_interrupt_handlers_are_restored(tmp_path):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with output.interrupts_raise():
        assert signal.getsignal(signal.SIGTERM) is not before[0]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_a_link_to_a_folder_replaces_the_folder_it_points_to(tmp_path):
    real = earlier_result(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(real)
    with output.replacing(link, marks=MARKS) as tmp:
        write_new(tmp)
    assert link.is_symlink() and contents(link) == NEW
