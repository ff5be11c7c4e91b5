"""The role matrix: what each role can and cannot do through the API and the admin."""
import pytest
from django.contrib.auth.models import Group, Permission

from atlas.choices import Role
from atlas.roles import ATLAS_APPS, has_role, user_roles

pytestmark = [pytest.mark.django_db, pytest.mark.urls("atlas.tests.urls")]

EVERYONE = set(Role.values)
# endpoint → (roles that may read, roles that may write). Admin may do everything.
MATRIX = {
    "/api/test/operator/": (EVERYONE, {Role.OPERATOR, Role.ADMIN}),
    "/api/test/steward/": (EVERYONE, {Role.STEWARD, Role.ADMIN}),
    "/api/test/privacy/": ({Role.PRIVACY_OFFICER, Role.ADMIN}, {Role.PRIVACY_OFFICER, Role.ADMIN}),
    "/api/test/admin-only/": (EVERYONE, {Role.ADMIN}),
}
CASES = [(url, role) for url in MATRIX for role in [*Role.values, None]]


@pytest.mark.parametrize(("url", "role"), CASES)
def test_read(url, role, role_api_client):
    readers, _ = MATRIX[url]
    expected = 200 if role in readers else 403
    assert role_api_client(role).get(url).status_code == expected


@pytest.mark.parametrize(("url", "role"), CASES)
def test_write(url, role, role_api_client):
    _, writers = MATRIX[url]
    expected = 201 if role in writers else 403
    assert role_api_client(role).post(url, {}, format="json").status_code == expected


@pytest.mark.parametrize("url", MATRIX)
def test_anonymous_gets_401_not_a_redirect(url, api_client):
    response = api_client.get(url)
    assert response.status_code == 401
    assert "Location" not in response


def test_denied_message_says_what_to_do(role_api_client):
    response = role_api_client(Role.VIEWER).post("/api/test/operator/", {}, format="json")
    assert "Ask an Atlas administrator" in response.json()["detail"]


@pytest.mark.parametrize("role", [*Role.values, None])
def test_action_roles_narrow_one_action(role, role_api_client):
    """``retry`` is for operators, although the viewset's writers are stewards."""
    group = Group.objects.create(name="retry-me")
    response = role_api_client(role).post(f"/api/test/groups/{group.pk}/retry/")
    assert response.status_code == (200 if role in (Role.OPERATOR, Role.ADMIN) else 403)


def test_session_authentication_works_too(role_client):
    viewer, operator = role_client(Role.VIEWER), role_client(Role.OPERATOR)
    assert viewer.get("/api/test/operator/").status_code == 200
    assert viewer.post("/api/test/operator/", {}).status_code == 403
    assert operator.post("/api/test/operator/", {}).status_code == 201


def test_superuser_holds_every_role(admin_user):
    assert user_roles(admin_user) == frozenset(Role.values)
    assert has_role(admin_user, (Role.PRIVACY_OFFICER,))


def test_inactive_user_holds_no_role(role_user):
    user = role_user(Role.OPERATOR, is_active=False)
    assert not has_role(user)


# --- The role groups and their admin permissions, as migrate leaves them ----------


def _codenames(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    permissions = group.permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_viewer_may_only_view_atlas_data():
    viewing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(
            content_type__app_label__in=ATLAS_APPS, codename__startswith="view_"
        )
    }
    assert _codenames(Role.VIEWER) == viewing


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR, Role.STEWARD, Role.PRIVACY_OFFICER])
def test_only_admin_manages_people(role):
    assert not {c for c in _codenames(role) if c.startswith("auth.") or c.startswith("authtoken.")}


def test_admin_group_has_every_permission():
    assert Group.objects.get(name=Role.ADMIN).permissions.count() == Permission.objects.count()


def test_operator_runs_schedules_others_do_not():
    schedule = {"django_celery_beat.add_periodictask", "django_celery_beat.change_periodictask"}
    assert schedule <= _codenames(Role.OPERATOR)
    for role in (Role.VIEWER, Role.STEWARD, Role.PRIVACY_OFFICER):
        assert not schedule & _codenames(role)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.STEWARD, Role.PRIVACY_OFFICER])
def test_each_role_writes_only_its_own_apps(role):
    """Beyond viewing, a role's permissions are exactly the verbs atlas.roles grants it."""
    from atlas.roles import ROLE_MODEL_PERMISSIONS

    grants = ROLE_MODEL_PERMISSIONS[role]
    for codename in _codenames(role):
        app_label, perm = codename.split(".", 1)
        verb, model = perm.split("_", 1)
        if verb == "view" and app_label in ATLAS_APPS:
            continue
        verbs = grants.get(f"{app_label}:{model}", ()) + grants.get(app_label, ())
        assert verb in verbs, f"{role} should not hold {codename}"


def test_admin_site_follows_group_permissions(role_client):
    viewer, operator = role_client(Role.VIEWER), role_client(Role.OPERATOR)
    assert viewer.get("/admin/").status_code == 200
    add = "/admin/django_celery_beat/periodictask/add/"
    assert viewer.get(add).status_code == 403
    assert operator.get(add).status_code == 200
    assert operator.get("/admin/auth/user/").status_code == 403
