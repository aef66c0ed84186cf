"""Analyses: pure functions of a :class:`~citynet.Landscape` that return DataFrames or reports.

No analysis reads files or prints; the CLI and the notebooks render what they return.
"""
