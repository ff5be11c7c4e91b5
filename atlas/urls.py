"""Atlas URLs: each app's pages and API, plus auth, admin, health and metrics."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from atlas import health, metrics
from atlas.views import DashboardView

admin.site.site_header = "Atlas administration"
admin.site.site_title = "Atlas"
admin.site.index_title = "Data governance back office"

APPS = ("pipeline", "quality", "compliance", "catalog", "features", "lineage", "connectors")

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
for app in APPS:
    api_patterns.append(path("", include(f"{app}.api.urls")))

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, "api"))),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("health/startup", health.startup, name="health-startup"),
    path("metrics", metrics.metrics, name="metrics"),
]
for app in APPS:
    urlpatterns.append(path(f"{app}/", include(f"{app}.urls")))
