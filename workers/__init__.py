"""Plain child processes that serve one request at a time over framed pipes, killable on a
deadline (`workers.process.Worker`). Used by feeds (main-text extraction of pages) and
extraction (articles in worker processes). Imports nothing of the project."""
