"""nbgrader configuration shared by both editions of the qikit course.

Each edition's course root (``course/nb``, ``course/en``) loads this file and adds its own
course id and answer stubs. The grading pipeline (``qikit grade``/``qikit demo``) adds its own
preprocessors on top (stderr in test cells is not a failure; hidden tests and tracebacks never
reach feedback), so plain ``nbgrader`` commands in an edition folder also work.
"""

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

# One cell may run at most this long; a learner's endless loop costs one task, not the whole run.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# A learner who deletes a graded cell gets it back (jupyter/nbgrader#1682, PR #1770).
c.OverwriteCells.add_missing_cells = True
# Keep solutions and hidden tests out of feedback.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "RUBRIC*"]
c.ClearSolutions.enforce_metadata = True
