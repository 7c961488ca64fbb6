"""``pipeline.cli.console_main``: the ``mgi`` command leaves without the
interpreter's teardown, yet as a normal exit would: same status, atexit
handlers run, streams flushed, threads joined."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _mgi(argv: list[str], prelude: str = "") -> subprocess.CompletedProcess:
    code = textwrap.dedent(prelude) + textwrap.dedent(f"""
        import sys
        sys.argv = ["mgi", *{argv!r}]
        from pipeline.cli import console_main
        console_main()
        print("not reached", file=sys.stderr)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_success_flushes_stdout_and_runs_atexit_handlers() -> None:
    res = _mgi(["--version"], prelude="""
        import atexit, sys
        atexit.register(lambda: sys.stdout.write("atexit ran\\n"))
    """)
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("mgi-pipeline ") and lines[-1] == "atexit ran"
    assert "not reached" not in res.stderr


@pytest.mark.parametrize("argv, status", [
    (["no-such-command"], 2),  # a usage error
    (["run", "/nonexistent/profile.pdf", "--out", "/nonexistent/out", "--no-progress"], 2),  # no input
])
def test_exit_status_is_the_commands(argv: list[str], status: int) -> None:
    res = _mgi(argv)
    assert res.returncode == status
    assert res.stderr.strip()  # the one-line reason was flushed before the exit


def test_other_threads_finish_before_the_exit() -> None:
    res = _mgi(["--version"], prelude="""
        import threading, time, sys
        def late():
            time.sleep(0.3)
            sys.stdout.write("thread done\\n")
        threading.Thread(target=late).start()
    """)
    assert res.returncode == 0
    assert "thread done" in res.stdout


def test_an_exit_message_is_printed_with_status_1() -> None:
    code = "from pipeline.cli import exit_now\nexit_now('stopped: a reason')"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 1
    assert res.stderr.strip() == "stopped: a reason"
