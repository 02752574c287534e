"""The security audit trail (等保 2.0 三级 安全审计): an append-only record of who did what, from where,
with what outcome. It sits at the bottom of the apps and imports none of them; governance and minutes
call `audit.services.record`."""
