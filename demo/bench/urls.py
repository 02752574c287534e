"""The bench's urlconf: the product's URLs and one more, the floor (`__bench/floor/`): a trivial
login-required view through the same middleware and database, never a product URL."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from meetings_site.urls import urlpatterns as product


@login_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench/floor/", floor, name="bench_floor"), *product]
