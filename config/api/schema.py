"""Schema post-processing: every operation documents the errors it can answer, in the one error
format of core.api.errors."""

from typing import Any

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error format of the API.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"description": "Field errors, or other facts about the error."},
            },
            "required": ["code", "message", "details"],
        }
    },
    "required": ["error"],
}
ERROR_RESPONSES = {
    "400": "The input is not valid.",
    "401": "No valid credentials were sent.",
    "403": "The caller may not do this.",
    "404": "No such object, or not visible to the caller.",
    "405": "The method is not allowed here.",
    "406": "The requested format cannot be produced.",
    "409": "The object's state does not allow this.",
    "413": "The body is larger than the limit.",
    "415": "The body's media type is not supported.",
    "429": "Too many requests; retry after the given number of seconds.",
    "503": "The database is unavailable; nothing was written. Retry after the given seconds.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the error responses to every operation
    that does not document its own."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
