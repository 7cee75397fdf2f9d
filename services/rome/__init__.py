"""The ROME 4.0 référentiel: import of the official export, search over métiers, fiche métier data.

* ``importer.import_rome(path)``: loads a folder or the official zip of ``unix_*_vNNN_utf8.csv`` files
  in one transaction, or refuses it (``RomeImportError``, a French message naming file and line).
* ``search.search_metiers(query)``: accent/case-insensitive, word-prefix and fuzzy search.
* ``metiers.metier_detail(code_rome)``: what a fiche métier page shows.
"""
