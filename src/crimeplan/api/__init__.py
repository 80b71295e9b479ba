"""The read-only JSON API (Django REST framework, OpenAPI 3 by drf-spectacular)."""
