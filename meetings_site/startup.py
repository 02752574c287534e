"""What an application server checks before it serves: the system checks' errors that must never be
served through (runserver and manage.py run the checks themselves)."""

from django.core.exceptions import ImproperlyConfigured


def refuse_unusable_settings() -> None:
    """Raise ImproperlyConfigured when SECRET_KEY may not serve this deployment (meetings.E001)."""
    from governance.checks import secret_key_problem

    problem = secret_key_problem()
    if problem:
        raise ImproperlyConfigured(f"meetings.E001: {problem}. Set SECRET_KEY (50+ random characters).")
