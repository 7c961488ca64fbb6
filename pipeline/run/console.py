"""What a run prints: one-line errors, the progress bar and the summary."""

from __future__ import annotations

from pipeline.run.steps import Outcome, Task


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def err_console():
    """Rich console on stderr, for one-line errors and the progress bar."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def progress_bar(enabled: bool, total: int):
    """A files/pages progress bar on a terminal, else None."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = err_console()
    if not (enabled and console.is_terminal and total):
        return None
    return Progress(
        TextColumn("[bold]mgi[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} files"),
        TextColumn("{task.fields[pages]} pages"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        auto_refresh=False,  # no refresh thread: workers are forked
    )


def print_summary(outcomes: list[tuple[Task, Outcome]], duplicates: list[tuple[str, str]], elapsed: float, pages: int) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    counts = {s: sum(1 for _, o in outcomes if o.record.status == s) for s in ("ok", "partial", "failed")}
    skipped = sum(1 for _, o in outcomes if o.skipped)
    rate = f", {pages / elapsed:.1f} pages/s" if elapsed > 0 and pages else ""
    console.print(
        f"[bold]{len(outcomes)} files[/]: [green]{counts['ok']} ok[/], [yellow]{counts['partial']} partial[/], "
        f"[red]{counts['failed']} failed[/] ({skipped} unchanged, skipped); {pages} pages processed in {elapsed:.1f} s{rate}"
    )
    for path, first in duplicates:
        console.print(f"[dim]duplicate of {escape(first)}, ignored: {escape(path)}[/]")
    for task, outcome in outcomes:
        if outcome.record.status == "failed":
            console.print(f"[red]failed[/] {escape(task.source_file)}: {escape(outcome.record.error or '')}")
