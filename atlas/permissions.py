"""The API's permission check: reading needs any role, writing the view's roles."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from atlas.roles import has_role


class RolePermission(BasePermission):
    """Checks the caller's roles against the view.

    A view lists ``write_roles`` for unsafe methods and may narrow single actions
    with ``action_roles = {"retry": (Role.OPERATOR,)}``; ``read_roles`` (default:
    any role) guards safe methods. Administrators pass every check.
    """

    message = "Your role does not allow this. Ask an Atlas administrator for the right role."

    def has_permission(self, request, view) -> bool:
        user = request.user
        action = getattr(view, "action", None)
        action_roles = getattr(view, "action_roles", {}).get(action)
        if action_roles is not None:
            return has_role(user, action_roles)
        if request.method in SAFE_METHODS:
            return has_role(user, getattr(view, "read_roles", None))
        return has_role(user, getattr(view, "write_roles", ()))
