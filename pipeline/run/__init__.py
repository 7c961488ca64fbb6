"""Running the stages: the fixed sequence of named steps, the worker pool and
the batch over many files (resumable, incremental, per-file timeout)."""
