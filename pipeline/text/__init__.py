"""Shared bottom: text normalisation, phrase matching and number parsing.

Every stage may import from here; nothing here imports from a stage."""
