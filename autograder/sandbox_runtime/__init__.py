"""Code that runs *inside* the grading sandbox (never imported by the grader itself).

The grader binds this folder read-only into each worker's sandbox and runs ``qikit_zygote.py`` there:
a warm, pre-imported fork server that starts one fresh IPython kernel per notebook. These modules
import nothing from ``autograder`` (which is not visible inside the sandbox).
"""
