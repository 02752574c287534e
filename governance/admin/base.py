"""What every governance admin page shares: history (simple-history) and object permissions (guardian)."""

from __future__ import annotations

from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin


class GovernanceAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    """History and object permissions for every governance model."""

    list_per_page = 50
