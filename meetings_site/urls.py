from django.contrib import admin
from django.urls import include, path

from meetings_site import health

urlpatterns = [
    # The load balancer's probes: public, answered by HealthCheckMiddleware before the rest of the stack.
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("audit.urls")),
    path("minutes/", include("minutes.urls")),
    path("", include("governance.urls")),
]
