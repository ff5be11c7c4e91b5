"""``Authorization: Bearer <token>``, the way OpenLineage clients send an API key, on Atlas's tokens."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication under the ``Bearer`` keyword (openlineage-python's ``api_key`` auth)."""

    keyword = "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme as HTTP bearer in the OpenAPI schema."""

    target_class = BearerTokenAuthentication
    name = "bearerTokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "http", "scheme": "bearer",
                "description": "An Atlas API token, as OpenLineage clients send an API key."}
