"""Training courses for skill gaps: the organisation's catalogue (``catalogue``), the public CPF catalogue
(``cpf_import``), and the suggestions for a target métier (``suggest``)."""
