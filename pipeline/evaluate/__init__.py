"""Measuring the extraction: hand-labelled gold files and their scoring."""
