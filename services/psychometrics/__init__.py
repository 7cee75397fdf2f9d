"""Psychometric instruments (versioned data files), their scoring, and the bilan-scoped service.

* ``catalog``: load and check the instrument files under ``instruments/``;
* ``scoring``: pure functions from answers to scores (no database);
* ``service``: what an actor may do (take a test, read results), scoped through the bilan.
"""
