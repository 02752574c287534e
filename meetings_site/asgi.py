"""The ASGI application. It refuses to load with an unusable SECRET_KEY (meetings.E001,
governance/checks.py): an application server does not run the system checks itself."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetings_site.settings")

application = get_asgi_application()

from meetings_site.startup import refuse_unusable_settings  # noqa: E402  (needs the apps loaded)

refuse_unusable_settings()
