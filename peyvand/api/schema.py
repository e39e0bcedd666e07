"""The OpenAPI document's shared parts: every operation may answer a problem document (RFC 9457)."""

from __future__ import annotations

from typing import Any

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, in Persian or English by Accept-Language.\n\n"
    "جزئیات خطا به شکل RFC 9457، به فارسی یا انگلیسی بنا بر Accept-Language.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "messages": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["field", "messages"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
# A request line past the front server's own limit (gunicorn: 4094 bytes; nginx: its buffers) is refused by
# that server before the API sees it, with its own short HTML page; shorter ones get a problem document.
FRONT_SERVER_PAGE = "text/html"
ANSWERS = {
    "400": "Invalid parameters or body · مقدارهای نامعتبر",
    "401": "Not signed in, or the token is not valid · ورود لازم است یا توکن معتبر نیست",
    "403": "Not allowed · اجازه ندارید",
    "404": "Not found, or not yours to see · یافت نشد",
    "405": "Method not allowed · روش درخواست مجاز نیست",
    "406": "Not acceptable · قالب خواسته‌شده ممکن نیست",
    "414": "The address is too long: a query string over 2048 characters gets a problem document, a request "
    "line over the front server's limit (about 4 KB) its HTML page · نشانی بیش از حد بلند است: رشتهٔ "
    "پرس‌وجوی بلندتر از ۲۰۴۸ نویسه سند خطا می‌گیرد و خط درخواستِ بلندتر از حد سرور جلویی (حدود ۴ کیلوبایت) صفحهٔ HTML آن را",
    "429": "Too many requests for this token · درخواست بیش از حد",
}


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A drf-spectacular post-processing hook: the problem answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ANSWERS.items():
                content: dict[str, Any] = {PROBLEM: {"schema": reference}}
                if code == "414":
                    content[FRONT_SERVER_PAGE] = {"schema": {"type": "string"}}
                responses.setdefault(code, {"description": description, "content": content})
    return result
