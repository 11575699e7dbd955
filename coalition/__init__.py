"""Coalition: pledges, progress reports and connectivity monitoring for digital coalitions."""
