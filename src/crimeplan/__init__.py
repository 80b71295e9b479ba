"""crimeplan: plan, deliver, measure, scrutinise and publicly report a police and crime plan."""

__version__ = "0.1.0"
