"""The OpenAPI document lists the error answers each operation can give, as the API gives them."""

ERROR = {"$ref": "#/components/schemas/ErrorOutput"}
ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
DESCRIPTIONS = {
    "400": "Invalid input: `detail`, and each refused field's messages.",
    "401": "No credentials, or a token that is not valid.",
    "403": "Not allowed for this user (or a session request without its CSRF token).",
    "404": "Not found.",
    "413": "Request body too large.",
}


def _codes(method: str, operation: dict) -> list[str]:
    parameters = operation.get("parameters", [])
    codes = ["401"]  # a token that is not valid is refused on every operation, open ones too
    if "requestBody" in operation or method != "get" or any(p["in"] == "query" for p in parameters):
        codes.append("400")
    if {} not in operation.get("security", []) or method != "get":
        codes.append("403")  # a session request without its CSRF token is refused on any write
    if any(p["in"] == "path" for p in parameters):
        codes.append("404")
    if method in {"post", "put", "patch"}:
        codes.append("413")
    return codes


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: the answers of config.api and config.middleware."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorOutput", ERROR_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            for code in _codes(method, operation):
                operation["responses"].setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ERROR}}},
                )
    return result
