"""Geography: the official list of French communes (``services.geo.communes``)."""
