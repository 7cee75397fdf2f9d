"""The skills self-assessment of a bilan (the wizard), the consultant's validation, and the skills map.

* ``assessment``: the beneficiary's parcours, the skills proposed from its métiers, the five-criteria
  self-rating and the submission; the consultant's adjustments, validation and reopening; the history.
* ``cartography``: the map drawn from the effective ratings (the consultant's where they adjusted).
"""
