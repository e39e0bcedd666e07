"""The REST API (``/api/v1/``): authentication by session or personal token, problem-details errors,
pagination and the OpenAPI schema. Each domain app declares its own resources in its ``api.py``."""
