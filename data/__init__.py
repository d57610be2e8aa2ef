"""Data files of nnkit, installed as ``nnkit.datasets`` (see README.md)."""
