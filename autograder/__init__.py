"""The instructor pipeline on top of nbgrader: build, grade a cohort, feedback, export, report.

Entry points are ``qikit demo`` and ``qikit grade`` (see :mod:`autograder.cli`). The library
(``qikit``) never imports this package; only the ``qikit`` command dispatches to it.
"""
