from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "crimeplan.measures"
    label = "measures"
    # Every page says when its figures are synthetic (see core.jinja on app globals).
    jinja_globals = {"figures_are_synthetic": "crimeplan.measures.synthetic.figures_are_synthetic"}
