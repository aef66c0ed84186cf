"""Everything that turns results into words: text for terminals, HTML for pages and notebooks.

Analyses return data; the CLI, the brief, the site and Jupyter say it with the functions here,
so that one thing is said one way everywhere. Text fits 100 columns, uses plain-language labels
(no snake_case, no ``NaN``, no ``True``/``False``) and escapes control characters in names.
"""
