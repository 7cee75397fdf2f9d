"""Catalogue: the chart component (components/charts.py), shared by every chart of the app."""

FR: dict[str, str] = {
    "chart.show_table": "Voir les données sous forme de tableau",
    "chart.col_label": "Élément",
    "chart.col_value": "Valeur",
}

EN: dict[str, str] = {
    "chart.show_table": "Show the data as a table",
    "chart.col_label": "Item",
    "chart.col_value": "Value",
}
