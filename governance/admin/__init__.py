"""The Django admin, one module per part of the domain; importing the package registers them all."""

from . import access, accounts, calendar, deadlines, followup, meeting_types, meetings, org, sign_in  # noqa: F401
