"""``Authorization: Bearer <token>``, the way OpenLineage clients send an API key, on Atlas's tokens."""
from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication under the ``Bearer`` keyword (openlineage-python's ``api_key`` auth)."""

    keyword = "Bearer"
